/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control channel between nookd and a driver process: one SOCK_SEQPACKET socket, one
 * message per packet. Every message is a fixed header followed by a typed payload:
 *
 *   le32 magic ("NOOK"), le16 type, le16 flags (0), le32 length (of the payload), le32 seq
 *
 * Requests go from nookd to the driver and are answered by one REPLY with the same seq;
 * events go from the driver to nookd unasked. The driver is not trusted: nook_ctl_decode()
 * checks every length, count and string against the packet it came in, and rejects
 * anything else with -EBADMSG.
 *
 * Encoding is async-signal-safe (no allocation, no locale), so a fatal-signal handler can
 * report over the channel.
 */
#ifndef NOOK_COMMON_CONTROL_H
#define NOOK_COMMON_CONTROL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nic-counters.h"

#define NOOK_CTL_MAGIC 0x4b4f4f4eu /* "NOOK" little-endian */
#define NOOK_CTL_VERSION 4
#define NOOK_CTL_HDR_SIZE 16
/* No packet is larger: a receiver reads into a buffer this big and rejects the rest. */
#define NOOK_CTL_MAX_MSG 4096
#define NOOK_CTL_MAX_TEXT 2048
#define NOOK_CTL_MAX_DATA 256
#define NOOK_CTL_NAME_LEN 32
#define NOOK_CTL_MAX_MC 64 /* link-layer multicast addresses in one LINK */

enum nook_ctl_type {
	/* driver -> nookd events */
	NOOK_CTL_HELLO = 1,   /* first message: protocol version, driver name, pid */
	NOOK_CTL_HEARTBEAT,   /* the driver's loop is alive */
	NOOK_CTL_CARRIER,     /* link up/down */
	NOOK_CTL_STATS,	      /* interface counters */
	NOOK_CTL_LOG,	      /* one log line with its printk level */
	NOOK_CTL_FATAL,	      /* the driver is dying: signal, address, backtrace */
	NOOK_CTL_REPLY,	      /* answer to a request, same seq */
	NOOK_CTL_NETDEV,      /* the driver registered its net_device: its MAC and MTU */
	NOOK_CTL_READY,	      /* the driver took the device (probe succeeded) */
	NOOK_CTL_TRAFFIC,     /* the driver handed up its first received frame */
	NOOK_CTL_FAULT_FIRED, /* a planned fault (--fault SPEC) fired: its spec */
	/* nookd -> driver requests */
	NOOK_CTL_LINK = 32, /* the interface as `ip link` left it: the driver applies it */
	NOOK_CTL_ETHTOOL,   /* an ethtool query */
	NOOK_CTL_INJECT,    /* fault injection (tests) */
	NOOK_CTL_SHUTDOWN,  /* stop the device and exit 0 */
	NOOK_CTL_ADOPT,	    /* to a standby: take the device whose fds this carries */
};

/*
 * ADOPT's fds, in this order (SCM_RIGHTS): the VFIO container, group and device, and the
 * class's fd (a NIC's TAP, a sound card's sound channel).
 */
#define NOOK_CTL_ADOPT_FDS 4

/*
 * ETHTOOL requests. The reply's data is text, one "key=value" per line (driver, version,
 * firmware, bus_info, link, speed, duplex, autoneg, ring-rx, ring-tx, ring-rx-max,
 * ring-tx-max, msglevel), so new keys need no new layout. SET carries the same kind of
 * text (ring-rx, ring-tx, msglevel) and is answered with the settings as they are then.
 */
enum nook_ctl_ethtool_cmd {
	NOOK_CTL_ETHTOOL_INFO = 1, /* ethtool -i and ethtool's link settings */
	NOOK_CTL_ETHTOOL_SET,	   /* ethtool -G / -s msglvl */
	NOOK_CTL_ETHTOOL_MAX = NOOK_CTL_ETHTOOL_SET,
};

enum nook_ctl_fault {
	/* the numbers of nook/fault.h's enum nook_fault */
	NOOK_CTL_FAULT_SEGV = 1,   /* a NULL dereference */
	NOOK_CTL_FAULT_ABORT,	   /* abort() */
	NOOK_CTL_FAULT_HANG,	   /* an endless loop */
	NOOK_CTL_FAULT_WILD_WRITE, /* a write to a random address */
	NOOK_CTL_FAULT_LEAK,	   /* memory allocated and never freed */
	NOOK_CTL_FAULT_WILD_DMA,   /* the device told to DMA where nothing is mapped */
	NOOK_CTL_FAULT_BAD_SKB,	   /* a received skb with a bogus length */
	NOOK_CTL_FAULT_MAX = NOOK_CTL_FAULT_BAD_SKB,
};

struct nook_ctl_hello {
	uint32_t version;
	uint32_t pid;			/* in the driver's own pid namespace */
	char driver[NOOK_CTL_NAME_LEN]; /* NUL-terminated */
};

struct nook_ctl_heartbeat {
	uint64_t counter; /* increases by one per heartbeat */
};

struct nook_ctl_carrier {
	uint32_t up; /* 0 or 1 */
};

struct nook_ctl_log {
	uint32_t level; /* printk level 0..7 */
	uint32_t len;
	const char *text; /* decoded: points into a NUL-terminated copy, no control chars */
};

struct nook_ctl_fatal {
	int32_t signo;
	uint64_t addr; /* faulting address, 0 if none */
	uint32_t len;
	const char *text; /* backtrace, lines separated by '\n' */
};

struct nook_ctl_reply {
	int32_t status; /* 0 or negative errno */
	uint32_t len;
	const uint8_t *data;
};

struct nook_ctl_netdev {
	uint32_t mtu;
	uint8_t mac[6];
	/*
	 * How long, at most, this driver's NIC leaves a frame it was given without counting it
	 * sent: 0 for one that completes each frame at its interrupt; e100, which asks for a
	 * completion interrupt on every 16th frame and cleans the rest in its 2 s watchdog,
	 * 2000. nookd waits this long, and 1 s more, before it calls a NIC that sends nothing
	 * stalled (recovery/stall-detect.h); what a driver says is clamped to 3 s in all.
	 */
	uint32_t tx_done_ms;
};

/*
 * The whole state, not a change: the driver diffs it against what it has, so nookd can
 * send it again at any time (after every rtnetlink event, to a new incarnation).
 */
struct nook_ctl_link {
	uint32_t flags; /* IFF_UP, IFF_PROMISC, IFF_ALLMULTI */
	uint32_t mtu;
	uint8_t mac[6];
	uint32_t n_mc;
	const uint8_t (*mc)[6];
};

struct nook_ctl_ethtool {
	uint32_t cmd;
	uint32_t len;
	const char *text; /* SET: "key=value" lines; decoded: NUL-terminated, printable */
};

struct nook_ctl_inject {
	uint32_t fault;
	uint32_t arg;
};

struct nook_ctl_fault_fired {
	uint32_t len;
	const char *spec; /* decoded: NUL-terminated, printable, at most NOOK_CTL_MAX_DATA */
};

/*
 * STATS, with each heartbeat: the interface's counters, and how many frames the kernel sent
 * wait in the shim for the driver's queue, which the driver stopped (the TAP is read on into
 * a backlog: shims/net/txq.h). nookd leaves a stopped queue to the driver's own transmit
 * watchdog first (recovery/stall-detect.h). rx_own: of the frames received, those from the
 * interface's own address (a NIC that hears itself hears nothing of the network).
 */
struct nook_ctl_stats {
	struct nook_nic_counters nic;
	uint64_t tx_waiting;
	uint64_t rx_own;
};

struct nook_ctl_adopt {
	uint32_t n_fds; /* NOOK_CTL_ADOPT_FDS */
};

struct nook_ctl_msg {
	uint16_t type;
	uint32_t seq;
	union {
		struct nook_ctl_hello hello;
		struct nook_ctl_heartbeat heartbeat;
		struct nook_ctl_carrier carrier;
		struct nook_ctl_stats stats;
		struct nook_ctl_log log;
		struct nook_ctl_fatal fatal;
		struct nook_ctl_reply reply;
		struct nook_ctl_netdev netdev;
		struct nook_ctl_link link;
		struct nook_ctl_ethtool ethtool;
		struct nook_ctl_inject inject;
		struct nook_ctl_adopt adopt;
		struct nook_ctl_fault_fired fired;
	};
	/* decoded text lives here, NUL-terminated; the pointers above point into it */
	char textbuf[NOOK_CTL_MAX_TEXT + 1];
};

/*
 * Encode @msg into @buf (at least NOOK_CTL_MAX_MSG bytes). Returns the packet's length or
 * -EINVAL for a message that would not decode (unknown type, text too long, ...).
 */
ssize_t nook_ctl_encode(const struct nook_ctl_msg *msg, void *buf, size_t size);

/* Decode one packet of @len bytes. -EBADMSG for anything malformed; @ret_msg untouched then. */
int nook_ctl_decode(const void *buf, size_t len, struct nook_ctl_msg *ret_msg);

/* Name of a message type for logs ("heartbeat"), "unknown" for others. */
const char *nook_ctl_type_name(unsigned int type);

/* Convenience: encode and send one message on @fd (MSG_NOSIGNAL). */
int nook_ctl_send(int fd, const struct nook_ctl_msg *msg);

/*
 * Receive and decode one message from @fd. -EAGAIN when none is waiting (non-blocking fd),
 * -ECONNRESET at end of stream, -EBADMSG for a malformed or truncated packet, or for one
 * that carries fds (they are closed): nook_ctl_recv_fds() with none allowed.
 */
int nook_ctl_recv(int fd, struct nook_ctl_msg *ret_msg);

/* nook_ctl_send() with @n_fds fds passed along (SCM_RIGHTS); the caller keeps its copies. */
int nook_ctl_send_fds(int fd, const struct nook_ctl_msg *msg, const int *fds, unsigned int n_fds);

/*
 * nook_ctl_recv() of a message that may carry fds: they land in @fds (close-on-exec), their
 * number in *@ret_n. A message with more than @max fds, or fds cut off on the way, is
 * -EBADMSG and every fd it brought is closed; so are the fds of a malformed message.
 */
int nook_ctl_recv_fds(int fd, struct nook_ctl_msg *ret_msg, int *fds, unsigned int max,
		      unsigned int *ret_n);

#endif
