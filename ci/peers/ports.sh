# shellcheck shell=bash
# Sourced by tgt-common.sh and istgt-common.sh: a free loopback port, and
# whether a port accepts connections. Every restart of a peer under
# touchstone-fuzz --target-cmd (ci/peers/tgt-serve, istgt-serve) pays for
# these: through a version manager's shim (pyenv) python3 took 1.6 s to
# start on this machine, 5 of tgt-serve's 6 s; the system python 0.15 s,
# bash's /dev/tcp a few milliseconds.

# The system python3 when there is one, else the one on PATH.
peer_python() {
  if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi
}

# A TCP port on 127.0.0.1 the kernel handed out and took back (nothing
# listens on it now).
free_port() {
  "$(peer_python)" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Whether 127.0.0.1:PORT accepts a connection (refused at once on loopback
# when nothing listens).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
