// SPDX-License-Identifier: GPL-2.0-only
/* /etc/nook/devices.d (see devices-conf.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
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

static int parse_line(struct nook_device_conf *c, char *key, char *v)
{
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

int nook_device_conf_parse(const char *path, struct nook_device_conf *ret_conf,
			   struct nook_err *err)
{
	struct nook_device_conf c = { 0 };
	char line[512], *s, *eq;
	unsigned int lineno = 0;
	FILE *f = fopen(path, "re");
	int r = 0;

	if (!f)
		return nook_err_set(err, -errno, "%s: %m", path);
	snprintf(c.file, sizeof(c.file), "%s", path);
	while (r == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			r = nook_err_set(err, -EINVAL, "%s:%u: expected KEY=VALUE", path, lineno);
			break;
		}
		*eq = '\0';
		r = parse_line(&c, trim(s), trim(eq + 1));
		if (r == -ENOENT)
			r = nook_err_set(err, -EINVAL, "%s:%u: unknown key '%s' (address, driver, "
					 "ifname, param, force)", path, lineno, trim(s));
		else if (r < 0)
			r = nook_err_set(err, -EINVAL, "%s:%u: bad value for %s", path, lineno,
					 trim(s));
	}
	fclose(f);
	if (r == 0 && !*c.address)
		r = nook_err_set(err, -EINVAL, "%s: no address= line", path);
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
			  void (*fn)(const struct nook_device_conf *conf, const struct nook_err *err,
				     void *ctx),
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
		if (nook_device_conf_parse(path, &c, &err) == 0)
			fn(&c, NULL, ctx);
		else
			fn(NULL, &err, ctx);
		free(names[i]);
	}
	free(names);
	return n;
}
