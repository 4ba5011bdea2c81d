/* SPDX-License-Identifier: GPL-2.0-only */
/* The plugins' connection to a card's server: connect, HELLO, one request at a time. */
#ifndef NOOK_SOUND_PLUGIN_CONN_H
#define NOOK_SOUND_PLUGIN_CONN_H

#include <stdint.h>

#include "common/base/clock.h"
#include "common/ipc/sound-proto.h"

/* How long a request may wait for its reply: the server answers at once or is broken. */
#define NOOK_CONN_TIMEOUT_MS 5000

struct nook_conn {
	int sock;
	uint32_t seq;
	char path[256];
	struct nook_snd_card card;
};

/*
 * Connect to @dev's card (NULL or "" for the first one) and say HELLO. Reports what went
 * wrong with SNDERR: @who names the plugin in those messages. -ENOENT when no server has the
 * card, -ENODEV when its socket is dead, -EPROTO on a version mismatch.
 */
int nook_conn_open(struct nook_conn *c, const char *dev, const char *who);
void nook_conn_close(struct nook_conn *c);

/*
 * Send @req (its seq is filled here), wait up to NOOK_CONN_TIMEOUT_MS for the reply and
 * check that it answers @req. Up to @n_fds fds passed with it land in @ret_fds (-1 if not).
 * Returns the reply's err, or the transport's: -ENODEV when the server has gone (not -EPIPE,
 * which ALSA applications take for an xrun), -ETIMEDOUT when it does not answer.
 */
int nook_conn_call(struct nook_conn *c, struct nook_snd_req *req, struct nook_snd_reply *rep,
		   int *ret_fds, unsigned int n_fds);

/* 0 while the server is there; -ENODEV once it has hung up (checked without blocking). */
int nook_conn_alive(const struct nook_conn *c);

/*
 * The plugin's configuration node: dev (a PCI address) into @ret_dev and, when
 * @ret_device is not NULL, device (a PCM device number); anything else is an error,
 * reported with SNDERR under @who's name.
 */
typedef struct _snd_config snd_config_t;
int nook_conn_parse_conf(snd_config_t *conf, const char *who, const char **ret_dev,
			 unsigned int *ret_device);

#endif
