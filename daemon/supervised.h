/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nookd's runtime record of an attached device, shared by the two halves of its
 * supervision: supervisor.c runs the device's driver incarnations (start, watch, end,
 * restart, stop) and driver-channel.c is what nookd and the running driver say to each
 * other (the control channel, the driver's log, requests, the shadow's replay). Private to
 * nookd.
 */
#ifndef NOOK_DAEMON_SUPERVISED_H
#define NOOK_DAEMON_SUPERVISED_H

#include <ev.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/ipc/control.h"
#include "nookd.h"
#include "recovery/recovery-log.h"
#include "registry.h"
#include "common/net/neigh.h"
#include "recovery/stall-detect.h"
#include "recovery/standby-backoff.h"
#include "supervisor.h"

struct nook_vfio_dev;

enum end_action { END_FAILURE, END_RESTART, END_DETACH };

enum upgrade_phase {
	UPGRADE_NONE,
	UPGRADE_STANDING_BY,  /* the new program starts as the standby */
	UPGRADE_HANDING_OVER, /* the old one stops; the new one takes the device */
};

/*
 * driver-channel.c: the control channel's messages in the current window, by type, and the
 * windows in a row in which some type went over its rate (a flood, once it lasts).
 */
struct driver_channel_rate {
	uint64_t window_ms; /* when the current window began */
	uint32_t count[NOOK_CTL_FAULT_FIRED + 1];
	uint64_t msgs;		 /* all messages in the window */
	bool over;		 /* a type went over its rate in this window */
	unsigned int flooded;	 /* windows before this one, in a row, that went over */
	uint64_t flood_since_ms; /* when the first of them began */
	uint64_t flood_msgs;	 /* the messages they carried */
};

struct nookd_dev {
	struct nookd *d;
	struct nook_device *dev;
	char driver_path[PATH_MAX];
	int tap_fd;
	int ifindex;
	struct nookd_sound *sound; /* a sound card: its server (sound-server.h); NULL for a NIC */
	bool tap_has_driver_mac;   /* the TAP took the driver's MAC and MTU once */

	/* the running incarnation */
	ev_child child;
	/* one a nookd before this one started, adopted (not nookd's child): its pidfd */
	int pidfd;
	ev_io pid_io;
	int ctl_fd;
	ev_io ctl_io;
	int log_fd;
	ev_io log_io;
	char logbuf[1024];
	size_t loglen;
	char last_line[256];
	ev_timer heartbeat;
	uint64_t last_heartbeat_ms;
	bool beating; /* this incarnation has sent a heartbeat: it is loaded, its loop runs */
	struct driver_channel_rate rate;
	/* the device's drivers' stderr lines: the budget spent (driver_channel_log_admit), in
	 * thousandths of a line, as of log_spent_ms; lines dropped over it, not yet said */
	uint64_t log_spent, log_spent_ms, log_dropped;
	char fatal[256]; /* the first line of the driver's own report of its death */
	/* why nookd killed it, and how that failure was detected ("" / -1: it did not) */
	char verdict[256];
	int verdict_kind;
	char injected[NOOK_RECOVERY_KIND_LEN]; /* the fault injected into it, if any */
	/* planned faults for the next incarnation (nookd_inject_plan): specs, space-separated */
	char next_plan[NOOK_FAULT_PLAN_TEXT];
	enum end_action on_end;
	ev_timer kill_timer;
	/* when it was sent SIGKILL (0: not yet): the kill timer then watches that it dies */
	uint64_t sigkill_at_ms;
	/* silent-watch.c: what the heartbeats showed of the device, watched for a stall */
	struct nook_stall_nic stall;
	bool driver_carrier; /* this incarnation's link is up, as it said (CARRIER) */
	uint32_t tx_done_ms; /* how long its NIC may leave a frame unsent, as it said (NETDEV) */
	/*
	 * The link: whether a driver of the device has ever had it, since when it is down (0:
	 * up) and whether a driver was already restarted for that (then the next is believed:
	 * the cable may really be out). silent-watch.c.
	 */
	bool link_ever_up, link_retried;
	bool link_had;		 /* this incarnation had it: one it loses is judged sooner */
	uint64_t link_took_ms;	 /* the quickest an incarnation brought its link up; 0: none yet */
	uint64_t link_wait_from; /* this one's start, or when its interface was last seen down */
	uint64_t link_down_ms;
	uint64_t reset_asked_ms; /* when nookd last asked for what may reset the link, 0: never */
	uint32_t mtu_sent;	 /* the MTU the last LINK carried */
	/*
	 * Receive silence (stall-detect.h): a driver was restarted for it, and its successor
	 * has not received a frame yet; the rule rests until rx_silence_rest_until (ms), for
	 * longer each time the network was found quiet (rx_silence_quiet times).
	 */
	bool rx_silence_retried;
	uint64_t rx_silence_rest_until;
	unsigned int rx_silence_quiet;
	/* the neighbour to probe then: one seen reachable while the NIC received (silent-watch) */
	struct nook_neigh neigh;
	bool neigh_known;
	uint64_t neigh_seen_ms;

	ev_timer restart_timer;

	/*
	 * The standby: the next incarnation, started ahead of need (loaded, locked down, its
	 * DMA arena's memory ready) and waiting for the device, which a restart hands it.
	 */
	int standby_ctl, standby_log; /* its pid: dev->standby_pid */
	ev_child standby_child;
	ev_io standby_log_io;
	ev_timer standby_timer;
	uint64_t standby_started_ms;
	struct nook_standby_backoff standby_backoff; /* after one that died soon */
	char standby_last_line[256];		     /* what the standby said last */
	char standby_end[320];			     /* how the last standby that died ended */

	/*
	 * A live upgrade (upgrade.c): its phase, the program the device ran before (to go back
	 * to), and who waits for the outcome.
	 */
	enum upgrade_phase upgrade;
	char upgrade_from[PATH_MAX];
	ev_timer upgrade_timer;
	nookd_done_fn upgrade_done;
	void *upgrade_ctx;

	nookd_done_fn done;
	void *done_ctx;

	/* the ethtool request in flight; a SET's settings go to the shadow once accepted */
	uint32_t ethtool_seq;
	nookd_ethtool_fn ethtool_done;
	void *ethtool_ctx;
	ev_timer ethtool_timer;
	char ethtool_set[NOOK_CTL_MAX_DATA + 1];

	/* the shadow's ethtool settings on their way into a new incarnation; LINK waits
	 * (recovery/net-replay.h) */
	bool replaying;
	uint32_t replay_seq;
	ev_timer replay_timer;
};

static inline struct nookd_dev *nookd_dev_of(struct nook_device *dev)
{
	return dev->priv;
}

/* supervisor.c */
void nookd_dev_set_state(struct nookd_dev *nd, enum nook_dev_state state);
/* A line of nookd's log about the device (log.h): at LOG_INFO, or at @priority with an id. */
void nookd_dev_log(struct nookd_dev *nd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nookd_dev_logp(struct nookd_dev *nd, int priority, const char *message_id, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));
void nookd_dev_kill(struct nookd_dev *nd, int sig);
/*
 * Start a driver process for the device, confined, with its control socket and a log pipe:
 * with @vdev and @class_fd, a driver that takes the device now; without (NULL, -1), a standby.
 */
int nookd_dev_spawn(struct nookd_dev *nd, struct nook_vfio_dev *vdev, int class_fd, pid_t *ret_pid,
		    int *ret_ctl, int *ret_log, struct nook_err *err);

/* Start an incarnation (the standby's, else a new process); the device is STARTING after. */
int nookd_dev_launch(struct nookd_dev *nd, struct nook_err *err);
/* Ask the running driver to stop; when it has, @action says what comes next. */
void nookd_dev_stop(struct nookd_dev *nd, enum end_action action);
/*
 * Adopt the NIC driver a nookd before this one left running for the device @c records: its
 * TAP, control socket, log pipe and pidfd from systemd's fd store (fd-store.h). 1: adopted,
 * @ret_dev running; 0: nothing to adopt (the fds were not kept, or the driver is gone;
 * whatever of it was left is ended), so it is attached anew; -errno with @err.
 */
struct nook_device_conf;
int nookd_adopt(struct nookd *d, const struct nook_device_conf *c, struct nook_device **ret_dev,
		struct nook_err *err);

/* upgrade.c: what the supervisor and the standby tell a live upgrade under way */
void nookd_upgrade_init(struct nookd_dev *nd);
/* The device runs again: an upgrade handing over is done. */
void nookd_upgrade_running(struct nookd_dev *nd);
/*
 * The incarnation failed (@why): true when it was an upgrade's new program, which was rolled
 * back (the old program started again); the failure is then no failure of the device's.
 */
bool nookd_upgrade_failed(struct nookd_dev *nd, const char *why);
/* The standby died (nd->standby_end says how): an upgrade standing by fails, untouched. */
void nookd_upgrade_standby_died(struct nookd_dev *nd);
/* The device is being detached: an upgrade under way ends with @why. */
void nookd_upgrade_cancel(struct nookd_dev *nd, const char *why);

/* driver-channel.c */
int driver_channel_send(struct nookd_dev *nd, struct nook_ctl_msg *m);
/* The watchers' callbacks (their data is the nd) */
void driver_channel_on_log(struct ev_loop *loop, ev_io *w, int revents);
void driver_channel_on_control(struct ev_loop *loop, ev_io *w, int revents);
/*
 * Whether one more stderr line of the device's driver (or standby) may go to the journal:
 * false past its budget (the line is then dropped, and counted).
 */
bool driver_channel_log_admit(struct nookd_dev *nd);
/* Say how many of its lines were dropped, if some were and that is not said yet. */
void driver_channel_log_flush(struct nookd_dev *nd);
/* At the incarnation's end: read what it still had to say (its fatal report, log lines). */
void driver_channel_drain(struct nookd_dev *nd);
void driver_channel_on_ethtool_timeout(struct ev_loop *loop, ev_timer *w, int revents);
/* The interface as `ip link` left it, to the driver (LINK); not while a replay is on. */
void driver_channel_send_link(struct nookd_dev *nd);
/* The new incarnation's first frame (a NIC) or period (a sound card): the recovery's end. */
void driver_channel_traffic(struct nookd_dev *nd);
/* The incarnation is gone: what was asked of it fails, the replay stops. */
void driver_channel_close(struct nookd_dev *nd);
/* `ip link` changes reach each driver (the link watch on nookd's loop). */
int driver_channel_init(struct nookd *d);
void driver_channel_fini(struct nookd *d);

#endif
