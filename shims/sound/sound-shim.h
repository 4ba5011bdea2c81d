/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sound shim: serves the card a driver registers on the nook sound socket
 * ($NOOK_SOUND_DIR/<BDF>, sound-proto.h), so nook's ALSA plugins can play, record and mix
 * through it. Each connection is one PCM stream or one mixer handle; a stream's frames move
 * between the client's shared ring and the card's DMA buffer on every period interrupt.
 */
#ifndef NOOK_SOUND_SHIM_H
#define NOOK_SOUND_SHIM_H

struct nook_loop;

/*
 * Before the driver loads: serve its card once it is registered, on @bdf's socket, or, with
 * @channel_fd >= 0 (supervised), to nookd, which passes client connections on that socket
 * and owns the streams' rings (sound-proto.h).
 */
int nook_sound_shim_install(struct nook_loop *loop, const char *bdf, int channel_fd);

/* The socket's path ("" before the card is served). */
const char *nook_sound_shim_path(void);

#endif
