/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Silent failures, watched on nookd's record of a device (daemon/supervised.h): the samples
 * nookd takes at each heartbeat, judged by stall-detect.h's rules.
 */
#ifndef NOOK_RECOVERY_SILENT_WATCH_H
#define NOOK_RECOVERY_SILENT_WATCH_H

#include <stdbool.h>

struct nookd_dev;
struct nook_ctl_stats;

/*
 * A driver alive and beating that stopped doing its job (a NIC that stopped
 * transmitting or receiving, a sound stream standing still) is killed as "silent".
 */
void silent_watch_start(struct nookd_dev *nd); /* a new incarnation */
void silent_watch_carrier(struct nookd_dev *nd, bool up);
/*
 * A NIC's STATS: its counters, the frames waiting in the shim for its stopped queue, and the
 * frames it received from its own address (not heard from the network).
 */
void silent_watch_stats(struct nookd_dev *nd, const struct nook_ctl_stats *s);
void silent_watch_beat(struct nookd_dev *nd); /* each HEARTBEAT */
/*
 * nookd asked the driver for what may reset its link (new ring sizes, a new MTU): a link
 * lost right after is the driver's own bring-up, given as long as a start's.
 */
void silent_watch_reset_asked(struct nookd_dev *nd);
/* A silent failure seen between heartbeats: true when the driver is stopped for it. */
bool silent_watch_verdict(struct nookd_dev *nd, const char *why);

#endif
