/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The NIC shadow's replay: a new incarnation gets the ethtool settings the shadow recorded
 * (net-shadow.h) before its interface opens, as a fresh driver would have them applied
 * before `ip link set up` (e1000, for one, resets its link when its rings change under a
 * running device). The LINK that opens the interface waits for the driver's answer, or 5 s.
 * nookd's side, on its record of the device (daemon/supervised.h).
 */
#ifndef NOOK_RECOVERY_NET_REPLAY_H
#define NOOK_RECOVERY_NET_REPLAY_H

#include <stdbool.h>

struct nookd_dev;
struct nook_ctl_msg;

/* The device's record is new. */
void nookd_net_replay_init(struct nookd_dev *nd);

/* A new incarnation registered its interface: replay the settings, then send LINK. */
void nookd_net_replay_start(struct nookd_dev *nd);

/* The driver answered @m: true when it was the replay's answer (then LINK follows). */
bool nookd_net_replay_reply(struct nookd_dev *nd, const struct nook_ctl_msg *m);

/* The incarnation is gone: the replay, if any, ends unanswered. */
void nookd_net_replay_stop(struct nookd_dev *nd);

#endif
