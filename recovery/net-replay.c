// SPDX-License-Identifier: GPL-2.0-only
/* The NIC shadow's replay into a new incarnation (see net-replay.h). */
#include "net-replay.h"

#include <errno.h>
#include <string.h>

#include "common/ipc/control.h"
#include "daemon/supervised.h"
#include "silent-watch.h"

/* How long a driver may take to apply the settings before its interface opens anyway. */
#define REPLAY_TIMEOUT_S 5.0

static void replay_done(struct nookd_dev *nd, int status)
{
	ev_timer_stop(nd->d->loop, &nd->replay_timer);
	nd->replaying = false;
	if (status < 0)
		nookd_dev_log(nd, "the driver did not take the recorded ethtool settings: %s",
			      strerror(-status));
	driver_channel_send_link(nd);
}

static void on_replay_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	replay_done(w->data, -ETIMEDOUT);
}

void nookd_net_replay_init(struct nookd_dev *nd)
{
	nd->replaying = false;
	ev_init(&nd->replay_timer, on_replay_timeout);
	nd->replay_timer.data = nd;
}

void nookd_net_replay_start(struct nookd_dev *nd)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_ETHTOOL };
	char text[NOOK_CTL_MAX_DATA];
	size_t n = nook_net_shadow_replay(&nd->dev->shadow, text, sizeof(text));

	if (n == 0 || nd->replaying) {
		driver_channel_send_link(nd);
		return;
	}
	m.ethtool.cmd = NOOK_CTL_ETHTOOL_SET;
	m.ethtool.text = text;
	m.ethtool.len = (uint32_t)n;
	if (driver_channel_send(nd, &m) < 0) {
		driver_channel_send_link(nd);
		return;
	}
	silent_watch_reset_asked(nd); /* the settings may reset what it just brought up */
	nd->replaying = true;
	nd->replay_seq = m.seq;
	ev_timer_set(&nd->replay_timer, REPLAY_TIMEOUT_S, 0.0);
	ev_timer_start(nd->d->loop, &nd->replay_timer);
}

bool nookd_net_replay_reply(struct nookd_dev *nd, const struct nook_ctl_msg *m)
{
	if (!nd->replaying || m->seq != nd->replay_seq)
		return false;
	replay_done(nd, m->reply.status);
	return true;
}

void nookd_net_replay_stop(struct nookd_dev *nd)
{
	ev_timer_stop(nd->d->loop, &nd->replay_timer);
	nd->replaying = false;
}
