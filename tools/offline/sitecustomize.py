"""Block the network in every Python process that starts with this folder on its PYTHONPATH.

Python imports a module named `sitecustomize` at start-up when it finds one on sys.path. The test
command puts this folder on the PYTHONPATH of the kernels that execute the chapters (and so of any
process they start, such as pip), so that a chapter which silently downloads something fails.

What is blocked: name look-ups and connections to any host other than this machine. What still
works: loopback addresses (127.0.0.0/8, ::1, localhost) and Unix sockets. The Jupyter kernel talks
to its client through ZeroMQ, whose sockets live in the C library and never pass through here.
"""

import ipaddress
import socket

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def _is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host is None or str(host).lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name other than localhost: looking it up is already network access


def _refuse(host, port=None):
    where = f"{host}:{port}" if port is not None else str(host)
    raise OSError(f"network access is blocked while the chapters are tested (tools/offline): "
                  f"a connection to {where} was attempted; chapters must not download anything")


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        _refuse(*address[:2])
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        _refuse(*address[:2])
    return _connect_ex(self, address)


def _guarded_getaddrinfo(host, port, *args, **kwargs):
    if not _is_local(host):
        _refuse(host, port)
    return _getaddrinfo(host, port, *args, **kwargs)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
socket.getaddrinfo = _guarded_getaddrinfo
