/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The nook sound protocol: between an ALSA application (through nook's ALSA plugins,
 * libasound_module_pcm_nook.so and libasound_module_ctl_nook.so) and the process that serves
 * a nook sound card (the driver program standalone, or nookd when it supervises the card).
 *
 * Transport: a SOCK_SEQPACKET unix socket named after the card's PCI address,
 *   $NOOK_SOUND_DIR/<BDF>   (NOOK_SOUND_DIR defaults to /run/nook/sound; BDF as 0000:00:04.0)
 * One connection serves one PCM stream or one mixer (control) handle. The client sends a
 * struct nook_snd_req, the server answers each with one struct nook_snd_reply carrying the
 * same op and seq; err is 0 or a negative errno. The server never speaks unasked: everything
 * that happens asynchronously (the card's position, the stream's state) is in the stream's
 * shared ring, and the ring's wake-up fd is signalled when it changes.
 *
 * A stream's data does not travel on the socket. PCM_HW_PARAMS's reply carries two fds
 * (SCM_RIGHTS): a memfd holding struct nook_snd_ring then the ring's frames from
 * data_offset (sealed: no one can change its size), and a wake-up fd the server signals on
 * every period and state change: the waiting end of a wake-up pair (nook_snd_wake_pair)
 * under nookd, an eventfd from a standalone driver. The client polls it for POLLIN and takes
 * what it holds with nook_snd_wake_take().
 * Playback: the client writes frames at (appl_ptr % buffer_frames), then advances appl_ptr;
 * the server moves them to the card and advances hw_ptr as the card plays them. Capture:
 * the server writes frames at (hw_ptr % buffer_frames) and advances hw_ptr; the client reads
 * them and advances appl_ptr. Both counters count frames since PCM_PREPARE and only grow.
 * The client never lets playback's appl_ptr - hw_ptr exceed buffer_frames.
 *
 * While the card's driver is being restarted the server leaves hw_ptr where it was: the
 * application waits, as it would on a slow card, and is told nothing.
 *
 * Under nookd, nookd is the server the clients see, and the driver serves nookd over the
 * same protocol, with three additions (NOOK_SND_SV_*): the driver's "sound channel" (a
 * socket nookd hands it at start) carries one CONNECT per client connection, with the
 * socket for it; and a stream's rings are nookd's. After HW_PARAMS, nookd sends RING with
 * three fds: the client's ring, read-only (the driver reads appl_ptr there, and a playback
 * stream's frames), the driver's own ring of the same geometry (it writes hw_ptr, state and
 * xruns there, and a capture stream's frames), and the signalling end of that ring's wake-up
 * pair (nook_snd_wake_pair: nookd waits on the other end). nookd checks what
 * the driver reports before the client sees it, so a driver that dies or runs wild leaves
 * the client's ring as it was. PREPARE's position lets a new incarnation pick a stream up
 * where the last one left it.
 */
#ifndef NOOK_SOUND_PROTO_H
#define NOOK_SOUND_PROTO_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define NOOK_SND_PROTO_VERSION 1
#define NOOK_SND_DEFAULT_DIR "/run/nook/sound"
#define NOOK_SND_RING_MAGIC 0x6b6e6f6eu /* "nonk" little-endian */

enum nook_snd_op {
	NOOK_SND_HELLO = 1,	/* -> card */
	NOOK_SND_PCM_OPEN,	/* pcm_open -> pcm_caps */
	NOOK_SND_PCM_HW_PARAMS, /* hw_params -> hw_params (as granted) + 2 fds */
	NOOK_SND_PCM_HW_FREE,
	NOOK_SND_PCM_PREPARE, /* counters back to 0, state PREPARED */
	NOOK_SND_PCM_START,
	NOOK_SND_PCM_STOP,  /* stop now (drop) */
	NOOK_SND_PCM_DRAIN, /* playback: stop once hw_ptr reaches appl_ptr; replies at once */
	NOOK_SND_PCM_CLOSE,
	NOOK_SND_CTL_COUNT,	/* -> ctl_count */
	NOOK_SND_CTL_INFO,	/* ctl_ref -> ctl_info */
	NOOK_SND_CTL_ENUM_ITEM, /* ctl_ref (item) -> ctl_item */
	NOOK_SND_CTL_READ,	/* ctl_ref -> ctl_value */
	NOOK_SND_CTL_WRITE,	/* ctl_value -> ctl_value.changed */
	NOOK_SND_CTL_TLV,	/* ctl_ref -> ctl_tlv */
	/* nookd -> a supervised driver only */
	NOOK_SND_SV_CONNECT = 64, /* on the sound channel: a client connection's socket (1 fd) */
	NOOK_SND_SV_RING,	  /* after HW_PARAMS: client ring (ro), driver ring, its wake-ups */
};

/* The most fds one message carries (SV_RING's). */
#define NOOK_SND_MAX_FDS 3

enum nook_snd_stream {
	NOOK_SND_PLAYBACK = 0,
	NOOK_SND_CAPTURE = 1,
};

/* A stream's state, in the ring. */
enum nook_snd_state {
	NOOK_SND_STATE_SETUP = 0,    /* hw_params done, not prepared, or stopped/drained */
	NOOK_SND_STATE_PREPARED = 1, /* ready to start */
	NOOK_SND_STATE_RUNNING = 2,
	NOOK_SND_STATE_XRUN = 3,	 /* under/overrun: the card stopped; PREPARE again */
	NOOK_SND_STATE_DRAINING = 4,	 /* playback after DRAIN, until played out */
	NOOK_SND_STATE_DISCONNECTED = 5, /* the card is gone for good */
};

#define NOOK_SND_NAME_MAX 80
#define NOOK_SND_MAX_PCMS 8
#define NOOK_SND_MAX_RATES 16
#define NOOK_SND_CTL_NAME_MAX 44
#define NOOK_SND_CTL_VALUES 128
#define NOOK_SND_TLV_WORDS 64

struct nook_snd_card {
	uint32_t version; /* NOOK_SND_PROTO_VERSION */
	char id[16];	  /* e.g. "AudioPCI" */
	char driver[16];  /* e.g. "ENS1370" */
	char name[NOOK_SND_NAME_MAX];
	char longname[NOOK_SND_NAME_MAX];
	uint32_t n_pcms;
	struct {
		uint32_t device;
		uint32_t playback_substreams, capture_substreams;
		char name[NOOK_SND_NAME_MAX];
	} pcms[NOOK_SND_MAX_PCMS];
};

struct nook_snd_pcm_open {
	uint32_t device; /* PCM device number on the card */
	uint32_t stream; /* enum nook_snd_stream */
};

/*
 * What the stream can do, from the driver's snd_pcm_hardware and constraints: formats is a
 * mask of (1 << SNDRV_PCM_FORMAT_*) (the values alsa-lib's SND_PCM_FORMAT_* share); rates
 * lists every standard rate in [rate_min, rate_max] the driver accepts, or n_rates is 0
 * when any integer rate in the range goes.
 */
struct nook_snd_pcm_caps {
	uint64_t formats;
	uint32_t channels_min, channels_max;
	uint32_t rate_min, rate_max;
	uint32_t n_rates;
	uint32_t rates[NOOK_SND_MAX_RATES];
	uint32_t period_bytes_min, period_bytes_max;
	uint32_t periods_min, periods_max;
	uint32_t buffer_bytes_max;
};

/* PREPARE: the position (frames) the stream's counters start from; 0 for a new stream. */
struct nook_snd_prepare {
	uint64_t position;
};

struct nook_snd_hw_params {
	uint32_t format; /* SNDRV_PCM_FORMAT_* */
	uint32_t channels;
	uint32_t rate;
	uint32_t period_frames;
	uint32_t periods;
	/* in the reply: the stream's geometry as granted (buffer = period_frames * periods) */
	uint32_t frame_bytes, buffer_frames;
};

/* Mixer controls are addressed by their position in the card's list, 0..count-1. */
struct nook_snd_ctl_count {
	uint32_t count;
};

struct nook_snd_ctl_ref {
	uint32_t index;
	uint32_t item; /* CTL_ENUM_ITEM only */
};

struct nook_snd_ctl_info {
	uint32_t iface; /* SNDRV_CTL_ELEM_IFACE_* */
	uint32_t device, subdevice;
	uint32_t elem_index; /* the control id's index */
	char name[NOOK_SND_CTL_NAME_MAX];
	uint32_t type;		/* SNDRV_CTL_ELEM_TYPE_* */
	uint32_t access;	/* SNDRV_CTL_ELEM_ACCESS_* */
	uint32_t count;		/* values */
	int64_t min, max, step; /* INTEGER */
	uint32_t items;		/* ENUMERATED */
};

struct nook_snd_ctl_item {
	char name[64];
};

/* BOOLEAN, INTEGER, ENUMERATED: values[0..count-1]; BYTES and IEC958: bytes[]. */
struct nook_snd_ctl_value {
	uint32_t index;
	uint32_t changed; /* reply to WRITE: 1 if the value changed */
	union {
		int64_t values[NOOK_SND_CTL_VALUES];
		uint8_t bytes[512];
	};
};

struct nook_snd_ctl_tlv {
	uint32_t words; /* used words of tlv[], 0 if the control has none */
	uint32_t tlv[NOOK_SND_TLV_WORDS];
};

struct nook_snd_req {
	uint32_t op; /* enum nook_snd_op */
	uint32_t seq;
	union {
		struct nook_snd_pcm_open pcm_open;
		struct nook_snd_hw_params hw_params;
		struct nook_snd_prepare prepare;
		struct nook_snd_ctl_ref ctl_ref;
		struct nook_snd_ctl_value ctl_value;
	};
};

struct nook_snd_reply {
	uint32_t op;
	uint32_t seq;
	int32_t err; /* 0 or -errno */
	uint32_t pad;
	union {
		struct nook_snd_card card;
		struct nook_snd_pcm_caps pcm_caps;
		struct nook_snd_hw_params hw_params;
		struct nook_snd_ctl_count ctl_count;
		struct nook_snd_ctl_info ctl_info;
		struct nook_snd_ctl_item ctl_item;
		struct nook_snd_ctl_value ctl_value;
		struct nook_snd_ctl_tlv ctl_tlv;
	};
};

/* Where a ring's frames start (a page after its header), in the rings nook's servers make. */
#define NOOK_SND_RING_DATA_OFFSET 4096u

/* At offset 0 of the ring memfd; frames from data_offset (page aligned). */
struct nook_snd_ring {
	uint32_t magic;	  /* NOOK_SND_RING_MAGIC */
	uint32_t version; /* NOOK_SND_PROTO_VERSION */
	uint32_t stream;  /* enum nook_snd_stream */
	uint32_t frame_bytes;
	uint32_t period_frames;
	uint32_t buffer_frames;
	uint32_t data_offset;
	uint32_t pad;
	_Atomic uint64_t hw_ptr;   /* server: frames the card has played or captured */
	_Atomic uint64_t appl_ptr; /* client: frames written (playback) or read (capture) */
	_Atomic uint32_t state;	   /* enum nook_snd_state, written by the server */
	_Atomic uint32_t xruns;	   /* server: under/overruns since the stream opened */
};

/*
 * Message transport, shared by both ends (sound-proto.c). nook_snd_send returns 0,
 * nook_snd_recv the received message's length; both a negative errno on failure, -EPIPE
 * when the peer has gone. nook_snd_send passes up to NOOK_SND_MAX_FDS fds with the message;
 * nook_snd_recv receives up to max_fds (unused slots set to -1; received fds are O_CLOEXEC)
 * and closes any beyond.
 */
int nook_snd_send(int sock, const void *msg, size_t len, const int *fds, unsigned int n_fds);
int nook_snd_recv(int sock, void *msg, size_t len, int *ret_fds, unsigned int max_fds);

/* Whether a PCM_OPEN answer's limits could describe a stream at all: 0, or -EPROTO. */
int nook_snd_caps_check(const struct nook_snd_pcm_caps *c);

/* The size of a ring (header and frames from NOOK_SND_RING_DATA_OFFSET), in whole pages. */
size_t nook_snd_ring_bytes(unsigned int frame_bytes, unsigned int buffer_frames);

/* A new ring's header: its geometry, frames from NOOK_SND_RING_DATA_OFFSET, state SETUP. */
void nook_snd_ring_init(struct nook_snd_ring *r, enum nook_snd_stream stream,
			unsigned int frame_bytes, unsigned int period_frames,
			unsigned int buffer_frames);

/*
 * A new ring's memory: a memfd of @size bytes, sealed against growing, shrinking and further
 * seals before it is handed to anyone. Every process that maps a ring maps all of it, so a
 * peer that could truncate it would make the next access of the others a SIGBUS. Returns the
 * fd (close-on-exec) or a negative errno.
 */
int nook_snd_ring_memfd(size_t size);

/*
 * A stream's wake-ups: a unix stream socketpair, non-blocking and close-on-exec, that goes one
 * way only: the process that signals keeps @ret_signal, the one that waits polls @ret_wait
 * for POLLIN. Whichever end a peer gets is its own open file: unlike a shared eventfd, whose
 * O_NONBLOCK and counter every holder changes for all, nothing a peer does to its end can make
 * the other side's nook_snd_wake() or nook_snd_wake_take() block. Returns 0 or a negative errno.
 */
int nook_snd_wake_pair(int *ret_signal, int *ret_wait);

/*
 * Signal a wake-up fd (a pair's signalling end, or a standalone driver's eventfd) without
 * blocking, whatever its file's flags. A wake-up nobody can take any more (the waiter left,
 * or has so many unread that the buffer is full) is no error: 0, or a negative errno.
 */
int nook_snd_wake(int fd);

/*
 * Take the wake-ups waiting on @fd (a pair's waiting end, or an eventfd) without blocking:
 * > 0 when there were some, -EAGAIN when there were none, 0 when the signalling end is gone
 * (none will come again), another negative errno on failure.
 */
int nook_snd_wake_take(int fd);

/* The socket path for a card, or for dev == NULL/"" the first card in the directory. */
int nook_snd_socket_path(const char *dev, char *buf, size_t size);

/*
 * Serve the card @bdf: its socket, listening (non-blocking, close-on-exec, mode 0666), in a
 * directory made as needed; its path in @path. Returns the fd or a negative errno.
 */
int nook_snd_listen(const char *bdf, char *path, size_t size);

#endif
