"""A private network namespace (its own 127.0.0.1, so the ports the docs fix,
3260-3271, clash with nothing else on the machine) and a private /tmp (the
docs' /tmp/disk.img, /tmp/tt.sock, ...), when unshare(1) is allowed."""
import fcntl
import os
import shutil
import socket
import struct
import subprocess
import sys

FLAG = "TOUCHSTONE_DOC_TESTS_ISOLATED"
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def _unshare_command():
    cmd = ["unshare", "--net", "--mount"]
    if os.geteuid() != 0:
        cmd.append("--map-root-user")
    return cmd


def reexec(argv):
    """Runs this program again in new network and mount namespaces; returns
    (without exec) when that is not possible, or already done."""
    if os.environ.get(FLAG) or not shutil.which("unshare"):
        return
    cmd = _unshare_command()
    probe = subprocess.run(cmd + ["true"], capture_output=True)
    if probe.returncode != 0:
        print("doc-tests: unshare refused (" + probe.stderr.decode(errors="replace").strip()
              + "): the docs run on the machine's own loopback and /tmp", flush=True)
        return
    env = dict(os.environ, **{FLAG: "1"})
    os.execvpe(cmd[0], cmd + ["--", sys.executable, *argv], env)


def isolated():
    return os.environ.get(FLAG) == "1"


def loopback_up():
    """`ip link set lo up`, without needing iproute2."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifreq = struct.pack("16sH14s", b"lo", 0, b"")
        flags = struct.unpack("16sH14s", fcntl.ioctl(s, SIOCGIFFLAGS, ifreq))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH14s", b"lo", flags | IFF_UP, b""))


def private_tmp(folder):
    """Mounts folder over /tmp (this mount namespace only)."""
    os.chmod(folder, 0o1777)
    subprocess.run(["mount", "--bind", folder, "/tmp"], check=True)


def release_tmp():
    subprocess.run(["umount", "/tmp"], check=False)
