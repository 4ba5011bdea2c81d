/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Who may change what nookd serves: root, and whoever polkit authorizes for an action
 * (org.nook.Nook1.manage: an administrator, after authenticating, by default; any user or
 * group a rule in /etc/polkit-1/rules.d names).
 *
 * Asking polkit is a D-Bus call to org.freedesktop.PolicyKit1, which may take as long as an
 * administrator takes to type a password; nookd's loop does not wait for it. A method that
 * needs authorization calls nookd_polkit_authorize() first, before it reads its arguments:
 * for root it answers at once; for anyone else it asks polkit, holds the call, and returns
 * NOOKD_POLKIT_PENDING, which the method returns as is (no reply yet). With polkit's answer
 * the held call is dispatched again, and this time nookd_polkit_authorize() says yes, or
 * sets the error it is refused with. Calls in flight are bounded.
 */
#ifndef NOOK_DAEMON_BUS_POLKIT_H
#define NOOK_DAEMON_BUS_POLKIT_H

#include <systemd/sd-bus.h>

#define NOOKD_POLKIT_ACTION "org.nook.Nook1.manage"
/* The method is held while polkit is asked: return it to sd-bus, which sends no reply. */
#define NOOKD_POLKIT_PENDING 1

/* 0: authorized; NOOKD_POLKIT_PENDING; or a negative errno with @error set. */
int nookd_polkit_authorize(sd_bus_message *m, const char *action, sd_bus_error *error);

/* Let go of every held call (nookd stops; the bus goes). */
void nookd_polkit_forget_all(void);

#endif
