// SPDX-License-Identifier: GPL-2.0-only
/* /etc/nook/devices.d (see devices-conf.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices-conf.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int set_str(char *dst, size_t len, const char *v)
{
	if (!*v || strlen(v) >= len)
		return -EINVAL;
	strcpy(dst, v);
	return 0;
}

/* The keys given at most once, and the line each was given on (0: not yet). */
static const char *const single_keys[] = { "address", "driver",	       "ifname",
					   "force",   "kernel-driver", "program" };
#define N_SINGLE_KEYS (sizeof(single_keys) / sizeof(single_keys[0]))

static int parse_line(struct nook_device_conf *c, enum nook_conf_kind kind, char *key, char *v)
{
	if (kind == NOOK_CONF_RUN_STATE && !strcmp(key, "kernel-driver")) {
		if (strlen(v) >= sizeof(c->kernel_driver) || strchr(v, '/'))
			return -EINVAL;
		strcpy(c->kernel_driver, v); /* "" is a device no kernel driver had */
		c->has_kernel_driver = true;
		return 0;
	}
	if (kind == NOOK_CONF_RUN_STATE && !strcmp(key, "ethtool")) {
		size_t n = strlen(c->ethtool);

		if (!strchr(v, '=') || n + strlen(v) + 2 > sizeof(c->ethtool))
			return -EINVAL;
		snprintf(c->ethtool + n, sizeof(c->ethtool) - n, "%s\n", v);
		return 0;
	}
	if (kind == NOOK_CONF_RUN_STATE && !strcmp(key, "program"))
		return *v == '/' ? set_str(c->program, sizeof(c->program), v) : -EINVAL;
	if (!strcmp(key, "address"))
		return set_str(c->address, sizeof(c->address), v);
	if (!strcmp(key, "driver"))
		return set_str(c->driver, sizeof(c->driver), v);
	if (!strcmp(key, "ifname"))
		return set_str(c->ifname, sizeof(c->ifname), v);
	if (!strcmp(key, "param")) {
		if (c->n_params == NOOK_MAX_PARAMS || !strchr(v, '=') || *v == '=')
			return -EINVAL;
		return set_str(c->params[c->n_params++], NOOK_PARAM_LEN, v);
	}
	if (!strcmp(key, "force")) {
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return -EINVAL;
		c->force = !strcmp(v, "yes");
		return 0;
	}
	return -ENOENT;
}

/*
 * Whether the line in @line (as fgets() left it) ended within the buffer; if not, the
 * rest of it is still in @f. A last line without its newline that just fills the buffer,
 * or one whose newline alone did not fit, is whole.
 */
static bool line_whole(const char *line, size_t size, FILE *f)
{
	size_t n = strlen(line);
	int c;

	if (n < size - 1 || line[n - 1] == '\n')
		return true;
	c = getc(f);
	if (c == EOF || c == '\n')
		return true;
	ungetc(c, f);
	return false;
}

/* A key given at most once that was given before: the error naming both lines. */
static int check_single(unsigned int *lines, const char *key, const char *path, unsigned int lineno,
			struct nook_err *err)
{
	for (size_t i = 0; i < N_SINGLE_KEYS; i++) {
		if (strcmp(key, single_keys[i]))
			continue;
		if (lines[i])
			return nook_err_set(err, -EINVAL,
					    "%s: %s= given twice (lines %u and %u): "
					    "keep one",
					    path, key, lines[i], lineno);
		lines[i] = lineno;
	}
	return 0;
}

/* One KEY=VALUE line (trimmed, not a comment) into @c. */
static int parse_setting(struct nook_device_conf *c, enum nook_conf_kind kind, char *s,
			 unsigned int *lines, const char *path, unsigned int lineno,
			 struct nook_err *err)
{
	char *eq = strchr(s, '='), *key;
	int r;

	if (!eq)
		return nook_err_set(err, -EINVAL, "%s:%u: expected KEY=VALUE", path, lineno);
	*eq = '\0';
	key = trim(s);
	r = parse_line(c, kind, key, trim(eq + 1));
	if (r == -ENOENT)
		return nook_err_set(err, -EINVAL,
				    "%s:%u: unknown key '%s' (address, driver, "
				    "ifname, param, force)",
				    path, lineno, key);
	if (r < 0)
		return nook_err_set(err, -EINVAL, "%s:%u: bad value for %s", path, lineno, key);
	return check_single(lines, key, path, lineno, err);
}

int nook_device_conf_parse(const char *path, struct nook_device_conf *ret_conf,
			   struct nook_err *err)
{
	return nook_device_conf_parse_kind(path, NOOK_CONF_DEVICES_D, ret_conf, err);
}

int nook_device_conf_parse_kind(const char *path, enum nook_conf_kind kind,
				struct nook_device_conf *ret_conf, struct nook_err *err)
{
	struct nook_device_conf c = { 0 };
	unsigned int lines[N_SINGLE_KEYS] = { 0 }, lineno = 0;
	char line[NOOK_DEVICE_CONF_LINE_MAX + 1], *s;
	FILE *f = fopen(path, "re");
	int r = 0;

	if (!f)
		return nook_err_set(err, -errno, "%s: %m", path);
	snprintf(c.file, sizeof(c.file), "%s", path);
	while (r == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		if (!line_whole(line, sizeof(line), f)) {
			r = nook_err_set(err, -EINVAL,
					 "%s: line %u is longer than %d bytes: no "
					 "setting is that long; shorten it",
					 path, lineno, NOOK_DEVICE_CONF_LINE_MAX);
			break;
		}
		s = trim(line);
		if (*s && *s != '#')
			r = parse_setting(&c, kind, s, lines, path, lineno, err);
	}
	fclose(f);
	if (r == 0 && !*c.address)
		r = nook_err_set(err, -EINVAL, "%s: no address= line", path);
	if (r == 0 && kind == NOOK_CONF_RUN_STATE && (!c.has_kernel_driver || !*c.driver))
		r = nook_err_set(err, -EINVAL, "%s: no kernel-driver= or driver= line", path);
	if (r == 0)
		*ret_conf = c;
	return r;
}

static int conf_filter(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 5 && !strcmp(de->d_name + n - 5, ".conf");
}

int nook_device_conf_each(const char *dir,
			  void (*fn)(const struct nook_device_conf *conf,
				     const struct nook_err *err, void *ctx),
			  void *ctx)
{
	return nook_device_conf_each_kind(dir, NOOK_CONF_DEVICES_D, fn, ctx);
}

int nook_device_conf_each_kind(const char *dir, enum nook_conf_kind kind,
			       void (*fn)(const struct nook_device_conf *conf,
					  const struct nook_err *err, void *ctx),
			       void *ctx)
{
	struct dirent **names;
	int n = scandir(dir, &names, conf_filter, alphasort);

	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct nook_device_conf c;
		struct nook_err err = { 0 };
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (nook_device_conf_parse_kind(path, kind, &c, &err) == 0)
			fn(&c, NULL, ctx);
		else
			fn(NULL, &err, ctx);
		free(names[i]);
	}
	free(names);
	return n;
}
