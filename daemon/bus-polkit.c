// SPDX-License-Identifier: GPL-2.0-only
/* Authorization through polkit, without waiting for it (see bus-polkit.h). */
#include "bus-polkit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calls held while polkit answers; past this many, the next is refused at once. */
#define MAX_HELD 32
/* An administrator has this long to authenticate (polkit's agent asks for a password). */
#define POLKIT_TIMEOUT_US (120ULL * 1000 * 1000)
/* CheckAuthorization's flag: polkit may ask the caller's agent to authenticate. */
#define POLKIT_ALLOW_INTERACTION 1u

#define DENIED                                                                            \
	"only root, or a user polkit authorizes for " NOOKD_POLKIT_ACTION ", may manage " \
	"nook devices (run nookctl as root; anyone may list them and read their status)"

struct held {
	sd_bus_message *call; /* the method call, dispatched again with the answer */
	sd_bus_slot *slot;    /* the question to polkit, while it is open */
	char action[64];
	int verdict; /* 0: asking; 1: yes; -1: no */
	char why[192];
	struct held *next;
};

static struct held *held_list;
static unsigned int n_held;

static void held_free(struct held *h)
{
	for (struct held **pp = &held_list; *pp; pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	n_held--;
	sd_bus_slot_unref(h->slot);
	sd_bus_message_unref(h->call);
	free(h);
}

/* Why polkit could not be asked, from the error its call ended with. */
static void why_unanswered(struct held *h, const sd_bus_error *e)
{
	if (sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER))
		snprintf(h->why, sizeof(h->why), "polkit is not running (install polkitd)");
	else if (sd_bus_error_has_names(e, SD_BUS_ERROR_TIMEOUT, SD_BUS_ERROR_NO_REPLY))
		snprintf(h->why, sizeof(h->why), "polkit did not answer");
	else
		snprintf(h->why, sizeof(h->why), "polkit failed: %.150s",
			 e->message ? e->message : e->name);
}

static int on_polkit_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	struct held *h = userdata;
	const sd_bus_error *e = sd_bus_message_get_error(reply);
	int yes = 0, challenge = 0, r;

	h->slot = sd_bus_slot_unref(h->slot);
	h->verdict = -1;
	if (e) {
		why_unanswered(h, e);
	} else {
		r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
		if (r >= 0)
			r = sd_bus_message_read(reply, "bb", &yes, &challenge);
		if (r < 0)
			snprintf(h->why, sizeof(h->why), "polkit's answer was malformed");
		else if (yes)
			h->verdict = 1;
		else if (challenge)
			snprintf(h->why, sizeof(h->why),
				 "polkit wants the caller to authenticate, and no agent asked "
				 "(run nookctl from a terminal session, or with pkexec)");
	}
	r = sd_bus_enqueue_for_read(sd_bus_message_get_bus(h->call), h->call);
	if (r < 0) {
		/* It cannot be dispatched again: answer it here. */
		sd_bus_reply_method_errorf(h->call, SD_BUS_ERROR_FAILED,
					   "nookd could not resume the call after polkit: %s",
					   strerror(-r));
		held_free(h);
	}
	return 0;
}

/* Ask polkit whether @m's sender may do @action; the answer arrives in on_polkit_reply(). */
static int ask(sd_bus_message *m, const char *action, struct held *h)
{
	sd_bus *bus = sd_bus_message_get_bus(m);
	const char *sender = sd_bus_message_get_sender(m);
	uint32_t flags = sd_bus_message_get_allow_interactive_authorization(m) > 0 ?
				 POLKIT_ALLOW_INTERACTION :
				 0;
	sd_bus_message *q = NULL;
	int r;

	if (!sender)
		return -EBADMSG;
	r = sd_bus_message_new_method_call(bus, &q, "org.freedesktop.PolicyKit1",
					   "/org/freedesktop/PolicyKit1/Authority",
					   "org.freedesktop.PolicyKit1.Authority",
					   "CheckAuthorization");
	if (r >= 0)
		r = sd_bus_message_append(q, "(sa{sv})sa{ss}us", "system-bus-name", 1, "name", "s",
					  sender, action, 0, flags, "");
	if (r >= 0)
		r = sd_bus_call_async(bus, &h->slot, q, on_polkit_reply, h, POLKIT_TIMEOUT_US);
	sd_bus_message_unref(q);
	return r;
}

static struct held *find_held(sd_bus_message *m, const char *action)
{
	for (struct held *h = held_list; h; h = h->next)
		if (h->call == m && !strcmp(h->action, action))
			return h;
	return NULL;
}

int nookd_polkit_authorize(sd_bus_message *m, const char *action, sd_bus_error *error)
{
	sd_bus_creds *creds = NULL;
	uid_t euid = (uid_t)-1;
	struct held *h;
	int r;

	r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID, &creds);
	if (r >= 0)
		r = sd_bus_creds_get_euid(creds, &euid);
	sd_bus_creds_unref(creds);
	if (r >= 0 && euid == 0)
		return 0;
	h = find_held(m, action);
	if (h && !h->verdict)
		return NOOKD_POLKIT_PENDING;
	if (h) {
		char why[sizeof(h->why)];
		bool yes = h->verdict > 0;

		snprintf(why, sizeof(why), "%s", h->why);
		held_free(h);
		if (yes)
			return 0;
		return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED, "%s%s%s", DENIED,
					 *why ? "; " : "", why);
	}
	if (r < 0)
		return sd_bus_error_set(error, SD_BUS_ERROR_ACCESS_DENIED, DENIED);
	if (n_held >= MAX_HELD)
		return sd_bus_error_set(error, SD_BUS_ERROR_ACCESS_DENIED,
					DENIED "; too many requests wait for polkit");
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->call = sd_bus_message_ref(m);
	snprintf(h->action, sizeof(h->action), "%s", action);
	h->next = held_list;
	held_list = h;
	n_held++;
	r = ask(m, action, h);
	if (r < 0) {
		held_free(h);
		return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
					 "%s; polkit could not be asked: %s", DENIED, strerror(-r));
	}
	return NOOKD_POLKIT_PENDING;
}

void nookd_polkit_forget_all(void)
{
	while (held_list)
		held_free(held_list);
}
