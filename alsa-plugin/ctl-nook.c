// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctl.nook: an ALSA external control plugin (alsa-lib's ctl_ext) for the mixer of a card a
 * nook driver process serves. The list of controls is fixed for a card's life, so it is read
 * once at open; values and TLVs are asked for each time (sound-proto.h, CTL_*).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <alsa/asoundlib.h>
#include <alsa/control_external.h>

#include "nook-conn.h"
#include "common/ipc/sound-proto.h"

#define WHO "ctl.nook"

/* The access bits ctl_ext passes on: its SND_CTL_EXT_ACCESS_* have the kernel's values. */
#define EXT_ACCESS_MASK                                               \
	(SND_CTL_EXT_ACCESS_READWRITE | SND_CTL_EXT_ACCESS_VOLATILE | \
	 SND_CTL_EXT_ACCESS_TLV_READ | SND_CTL_EXT_ACCESS_INACTIVE)

struct nook_ctl {
	snd_ctl_ext_t ext;
	struct nook_conn conn;
	unsigned int count;
	struct nook_snd_ctl_info *info; /* [count] */
};

static int ctl_call(struct nook_ctl *c, struct nook_snd_req *req, struct nook_snd_reply *rep)
{
	return nook_conn_call(&c->conn, req, rep, NULL, 0);
}

static int nook_elem_count(snd_ctl_ext_t *ext)
{
	struct nook_ctl *c = ext->private_data;

	return (int)c->count;
}

static int nook_elem_list(snd_ctl_ext_t *ext, unsigned int offset, snd_ctl_elem_id_t *id)
{
	struct nook_ctl *c = ext->private_data;
	const struct nook_snd_ctl_info *in;

	if (offset >= c->count)
		return -ENOENT;
	in = &c->info[offset];
	snd_ctl_elem_id_set_interface(id, (snd_ctl_elem_iface_t)in->iface);
	snd_ctl_elem_id_set_device(id, in->device);
	snd_ctl_elem_id_set_subdevice(id, in->subdevice);
	snd_ctl_elem_id_set_name(id, in->name);
	snd_ctl_elem_id_set_index(id, in->elem_index);
	return 0;
}

static snd_ctl_ext_key_t nook_find_elem(snd_ctl_ext_t *ext, const snd_ctl_elem_id_t *id)
{
	struct nook_ctl *c = ext->private_data;
	unsigned int numid = snd_ctl_elem_id_get_numid(id);
	const char *name = snd_ctl_elem_id_get_name(id);

	/* ctl_ext numbers the controls offset + 1. */
	if (numid > 0)
		return numid <= c->count ? numid - 1 : SND_CTL_EXT_KEY_NOT_FOUND;
	for (unsigned int i = 0; i < c->count; i++) {
		const struct nook_snd_ctl_info *in = &c->info[i];

		if (in->iface == (uint32_t)snd_ctl_elem_id_get_interface(id) &&
		    in->device == snd_ctl_elem_id_get_device(id) &&
		    in->subdevice == snd_ctl_elem_id_get_subdevice(id) &&
		    in->elem_index == snd_ctl_elem_id_get_index(id) && !strcmp(in->name, name)) {
			/*
			 * Complete the caller's id with its numid, as the kernel's ELEM_INFO does:
			 * snd_ctl_elem_tlv_read of a control named without one looks the numid up
			 * through elem_info, and ctl_ext passes it the caller's own, writable, id.
			 */
			snd_ctl_elem_id_set_numid((snd_ctl_elem_id_t *)id, i + 1);
			return i;
		}
	}
	return SND_CTL_EXT_KEY_NOT_FOUND;
}

static int nook_get_attribute(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, int *type,
			      unsigned int *acc, unsigned int *count)
{
	struct nook_ctl *c = ext->private_data;
	const struct nook_snd_ctl_info *in;

	if (key >= c->count)
		return -ENOENT;
	in = &c->info[key];
	*type = (int)in->type;
	*acc = in->access & EXT_ACCESS_MASK;
	/* TLVs are read from the server each time, through nook_tlv. */
	if (*acc & SND_CTL_EXT_ACCESS_TLV_READ)
		*acc |= SND_CTL_EXT_ACCESS_TLV_CALLBACK;
	*count = in->count;
	return 0;
}

static int nook_get_integer_info(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, long *imin, long *imax,
				 long *istep)
{
	struct nook_ctl *c = ext->private_data;

	if (key >= c->count)
		return -ENOENT;
	*imin = (long)c->info[key].min;
	*imax = (long)c->info[key].max;
	*istep = (long)c->info[key].step;
	return 0;
}

static int nook_get_enumerated_info(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, unsigned int *items)
{
	struct nook_ctl *c = ext->private_data;

	if (key >= c->count)
		return -ENOENT;
	*items = c->info[key].items;
	return 0;
}

static int nook_get_enumerated_name(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, unsigned int item,
				    char *name, size_t name_max_len)
{
	struct nook_ctl *c = ext->private_data;
	struct nook_snd_req req = { .op = NOOK_SND_CTL_ENUM_ITEM };
	struct nook_snd_reply rep;
	int r;

	if (key >= c->count)
		return -ENOENT;
	if (item >= c->info[key].items)
		return -EINVAL;
	req.ctl_ref = (struct nook_snd_ctl_ref){ .index = (uint32_t)key, .item = item };
	r = ctl_call(c, &req, &rep);
	if (r < 0)
		return r;
	rep.ctl_item.name[sizeof(rep.ctl_item.name) - 1] = '\0';
	snprintf(name, name_max_len, "%s", rep.ctl_item.name);
	return 0;
}

static int read_value(struct nook_ctl *c, snd_ctl_ext_key_t key, struct nook_snd_ctl_value *ret)
{
	struct nook_snd_req req = { .op = NOOK_SND_CTL_READ };
	struct nook_snd_reply rep;
	int r;

	if (key >= c->count)
		return -ENOENT;
	req.ctl_ref.index = (uint32_t)key;
	r = ctl_call(c, &req, &rep);
	if (r < 0)
		return r;
	*ret = rep.ctl_value;
	return 0;
}

/* Returns 1 if the value changed, as the kernel's control write does. */
static int write_value(struct nook_ctl *c, struct nook_snd_req *req)
{
	struct nook_snd_reply rep;
	int r;

	req->op = NOOK_SND_CTL_WRITE;
	r = ctl_call(c, req, &rep);
	if (r < 0)
		return r;
	return rep.ctl_value.changed ? 1 : 0;
}

/* Values in the message: never more than it holds, whatever count the server gave. */
static unsigned int n_values(const struct nook_ctl *c, snd_ctl_ext_key_t key)
{
	unsigned int n = c->info[key].count;

	return n < NOOK_SND_CTL_VALUES ? n : NOOK_SND_CTL_VALUES;
}

static int nook_read_integer(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, long *value)
{
	struct nook_ctl *c = ext->private_data;
	struct nook_snd_ctl_value v;
	int r = read_value(c, key, &v);

	if (r < 0)
		return r;
	for (unsigned int i = 0; i < n_values(c, key); i++)
		value[i] = (long)v.values[i];
	return 0;
}

static int nook_write_integer(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, long *value)
{
	struct nook_ctl *c = ext->private_data;
	struct nook_snd_req req = { 0 };

	if (key >= c->count)
		return -ENOENT;
	req.ctl_value.index = (uint32_t)key;
	for (unsigned int i = 0; i < n_values(c, key); i++)
		req.ctl_value.values[i] = value[i];
	return write_value(c, &req);
}

static int nook_read_enumerated(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, unsigned int *items)
{
	struct nook_ctl *c = ext->private_data;
	struct nook_snd_ctl_value v;
	int r = read_value(c, key, &v);

	if (r < 0)
		return r;
	for (unsigned int i = 0; i < n_values(c, key); i++)
		items[i] = (unsigned int)v.values[i];
	return 0;
}

static int nook_write_enumerated(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, unsigned int *items)
{
	struct nook_ctl *c = ext->private_data;
	struct nook_snd_req req = { 0 };

	if (key >= c->count)
		return -ENOENT;
	req.ctl_value.index = (uint32_t)key;
	for (unsigned int i = 0; i < n_values(c, key); i++)
		req.ctl_value.values[i] = items[i];
	return write_value(c, &req);
}

static int nook_read_bytes(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, unsigned char *data,
			   size_t max_bytes)
{
	struct nook_ctl *c = ext->private_data;
	struct nook_snd_ctl_value v;
	int r = read_value(c, key, &v);

	if (r < 0)
		return r;
	memcpy(data, v.bytes, max_bytes < sizeof(v.bytes) ? max_bytes : sizeof(v.bytes));
	return 0;
}

static int nook_write_bytes(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, unsigned char *data,
			    size_t max_bytes)
{
	struct nook_ctl *c = ext->private_data;
	struct nook_snd_req req = { 0 };

	if (key >= c->count)
		return -ENOENT;
	req.ctl_value.index = (uint32_t)key;
	memcpy(req.ctl_value.bytes, data,
	       max_bytes < sizeof(req.ctl_value.bytes) ? max_bytes : sizeof(req.ctl_value.bytes));
	return write_value(c, &req);
}

/* IEC958 travels as the bytes of the kernel's struct snd_aes_iec958, which alsa-lib's mirrors. */
static int nook_read_iec958(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, snd_aes_iec958_t *iec958)
{
	return nook_read_bytes(ext, key, (unsigned char *)iec958, sizeof(*iec958));
}

static int nook_write_iec958(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, snd_aes_iec958_t *iec958)
{
	return nook_write_bytes(ext, key, (unsigned char *)iec958, sizeof(*iec958));
}

/* TLV read (op_flag 0) only: nook's controls publish no writable TLVs. */
static int nook_tlv(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, int op_flag, unsigned int numid,
		    unsigned int *tlv, unsigned int tlv_size)
{
	struct nook_ctl *c = ext->private_data;
	struct nook_snd_req req = { .op = NOOK_SND_CTL_TLV };
	struct nook_snd_reply rep;
	size_t bytes;
	int r;

	if (op_flag != 0)
		return -ENXIO;
	if (key >= c->count)
		return -ENOENT;
	req.ctl_ref.index = (uint32_t)key;
	r = ctl_call(c, &req, &rep);
	if (r < 0)
		return r;
	if (rep.ctl_tlv.words == 0)
		return -ENXIO;
	if (rep.ctl_tlv.words > NOOK_SND_TLV_WORDS)
		return -EPROTO;
	bytes = rep.ctl_tlv.words * sizeof(uint32_t);
	if (bytes > tlv_size)
		return -ENOMEM;
	memcpy(tlv, rep.ctl_tlv.tlv, bytes);
	return 0;
}

static void nook_ctl_close(snd_ctl_ext_t *ext)
{
	struct nook_ctl *c = ext->private_data;

	nook_conn_close(&c->conn);
	free(c->info);
	free(c);
}

static const snd_ctl_ext_callback_t nook_ctl_callback = {
	.close = nook_ctl_close,
	.elem_count = nook_elem_count,
	.elem_list = nook_elem_list,
	.find_elem = nook_find_elem,
	.get_attribute = nook_get_attribute,
	.get_integer_info = nook_get_integer_info,
	.get_enumerated_info = nook_get_enumerated_info,
	.get_enumerated_name = nook_get_enumerated_name,
	.read_integer = nook_read_integer,
	.read_enumerated = nook_read_enumerated,
	.read_bytes = nook_read_bytes,
	.read_iec958 = nook_read_iec958,
	.write_integer = nook_write_integer,
	.write_enumerated = nook_write_enumerated,
	.write_bytes = nook_write_bytes,
	.write_iec958 = nook_write_iec958,
};

/* The card's controls, read once: the list does not change while the card is served. */
static int load_controls(struct nook_ctl *c)
{
	struct nook_snd_req req = { .op = NOOK_SND_CTL_COUNT };
	struct nook_snd_reply rep;
	int r;

	r = ctl_call(c, &req, &rep);
	if (r < 0)
		return r;
	if (rep.ctl_count.count > 4096)
		return -EPROTO;
	c->count = rep.ctl_count.count;
	c->info = calloc(c->count ? c->count : 1, sizeof(*c->info));
	if (!c->info)
		return -ENOMEM;
	for (unsigned int i = 0; i < c->count; i++) {
		req = (struct nook_snd_req){ .op = NOOK_SND_CTL_INFO, .ctl_ref.index = i };
		r = ctl_call(c, &req, &rep);
		if (r < 0)
			return r;
		c->info[i] = rep.ctl_info;
		c->info[i].name[NOOK_SND_CTL_NAME_MAX - 1] = '\0';
	}
	return 0;
}

/* ctl_ext's name is shorter than the protocol's: a long card name is cut, as the kernel's is. */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void fill_card(struct nook_ctl *c)
{
	const struct nook_snd_card *card = &c->conn.card;

	c->ext.card_idx = 0;
	copy_str(c->ext.id, sizeof(c->ext.id), card->id);
	copy_str(c->ext.driver, sizeof(c->ext.driver), card->driver);
	copy_str(c->ext.name, sizeof(c->ext.name), card->name);
	copy_str(c->ext.longname, sizeof(c->ext.longname), card->longname);
	copy_str(c->ext.mixername, sizeof(c->ext.mixername), card->name);
}

SND_CTL_PLUGIN_DEFINE_FUNC(nook)
{
	const char *dev = NULL;
	struct nook_ctl *c;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->conn.sock = -1;
	r = nook_conn_parse_conf(conf, WHO, &dev, NULL);
	if (r < 0)
		goto fail;
	r = nook_conn_open(&c->conn, dev, WHO);
	if (r < 0)
		goto fail;
	r = load_controls(c);
	if (r < 0) {
		SNDERR(WHO ": %s: cannot read the card's controls: %s", c->conn.path, strerror(-r));
		goto fail;
	}
	fill_card(c);
	c->ext.version = SND_CTL_EXT_VERSION;
	/* Nothing arrives on the socket unasked, but a poller sees the server hang up. */
	c->ext.poll_fd = c->conn.sock;
	c->ext.callback = &nook_ctl_callback;
	c->ext.private_data = c;
	c->ext.tlv.c = nook_tlv;
	r = snd_ctl_ext_create(&c->ext, name, mode);
	if (r < 0)
		goto fail;
	*handlep = c->ext.handle;
	return 0;
fail:
	nook_conn_close(&c->conn);
	free(c->info);
	free(c);
	return r;
}

SND_CTL_PLUGIN_SYMBOL(nook);
