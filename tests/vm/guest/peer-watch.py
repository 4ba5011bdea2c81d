#!/usr/bin/env python3
"""When the peer's NIC missed frames and its stack saw ping requests, for nook's VM scenarios.

  peer-watch.py IFNAME INTERVAL_MS   (run in the peer's network namespace; stops on SIGTERM)

Every INTERVAL_MS it reads how many received frames IFNAME's NIC has missed (its receive
ring was full) and how many ICMP echo requests the namespace's stack took in, and prints
"TIME MISSED ECHOS" (TIME in seconds since the epoch, as ping -D prints it) whenever either
moved. A ping lost while the peer's NIC was missing frames was lost by the rig's own peer,
whichever driver sent it.

The missed count is read where it is current: the ethtool statistic "rx_missed_errors" if
the NIC's driver has it (e1000 refreshes it from the NIC when asked; its sysfs copy moves
only every two seconds), else the interface's sysfs counter (8139too reads the NIC's
register there).
"""
import array
import fcntl
import signal
import socket
import struct
import sys
import time

SIOCETHTOOL = 0x8946
ETHTOOL_GDRVINFO, ETHTOOL_GSTRINGS, ETHTOOL_GSTATS = 0x03, 0x1B, 0x1D
ETH_SS_STATS = 1
ETH_GSTRING_LEN = 32
DRVINFO_LEN, DRVINFO_N_STATS = 196, 180  # struct ethtool_drvinfo: size, n_stats's offset


def ethtool(sock, ifname, buf):
    ifreq = struct.pack("16sP", ifname.encode(), buf.buffer_info()[0])
    fcntl.ioctl(sock, SIOCETHTOOL, ifreq)


def ethtool_missed(ifname):
    """A function returning the NIC's fresh missed count, or None if its driver has none."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    info = array.array("B", struct.pack("I", ETHTOOL_GDRVINFO) + bytes(DRVINFO_LEN - 4))
    try:
        ethtool(sock, ifname, info)
    except OSError:
        return None
    n = struct.unpack_from("I", info, DRVINFO_N_STATS)[0]
    names = array.array("B", struct.pack("III", ETHTOOL_GSTRINGS, ETH_SS_STATS, n)
                        + bytes(n * ETH_GSTRING_LEN))
    ethtool(sock, ifname, names)
    raw = names.tobytes()[12:]
    keys = [raw[i * ETH_GSTRING_LEN:(i + 1) * ETH_GSTRING_LEN].split(b"\0")[0].decode()
            for i in range(n)]
    if "rx_missed_errors" not in keys:
        return None
    at = keys.index("rx_missed_errors")
    stats = array.array("B", struct.pack("II", ETHTOOL_GSTATS, n) + bytes(n * 8))

    def read():
        ethtool(sock, ifname, stats)
        return struct.unpack_from("Q", stats, 8 + at * 8)[0]
    return read


def sysfs_missed(ifname):
    path = f"/sys/class/net/{ifname}/statistics/rx_missed_errors"

    def read():
        with open(path) as f:
            return int(f.read())
    return read


def echo_requests():
    with open("/proc/net/snmp") as f:
        rows = [line.split() for line in f if line.startswith("Icmp:")]
    return int(rows[1][rows[0].index("InEchos")])


def main():
    ifname, interval = sys.argv[1], int(sys.argv[2]) / 1000
    missed = ethtool_missed(ifname) or sysfs_missed(ifname)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    last = None
    while True:
        now = (time.time(), missed(), echo_requests())
        if last is None or now[1:] != last[1:]:
            print(f"{now[0]:.3f} {now[1]} {now[2]}", flush=True)
        last = now
        time.sleep(interval)


if __name__ == "__main__":
    main()
