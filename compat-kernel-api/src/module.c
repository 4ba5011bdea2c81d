// SPDX-License-Identifier: GPL-2.0-only
/*
 * The linked-in driver's module_init/module_exit, and its module parameters as KEY=VALUE
 * arguments of the driver program.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <nook/kernel.h>
#include <nook/module.h>

int (*nook_module_init_fn)(void);
void (*nook_module_exit_fn)(void);
const char *nook_module_description;

#define MAX_PARAMS 64

struct param {
	const char *name;
	const char *desc;
	enum nook_param_type type;
	void *var;
	unsigned int max;
	unsigned int *num;
};

static struct param params[MAX_PARAMS];
static unsigned int nparams;

static struct param *param_find(const char *name, size_t len)
{
	for (unsigned int i = 0; i < nparams; i++)
		if (strlen(params[i].name) == len && strncmp(params[i].name, name, len) == 0)
			return &params[i];
	return NULL;
}

void nook_param_register(const char *name, enum nook_param_type type, void *var,
			 unsigned int max_elems, unsigned int *num)
{
	struct param *p = param_find(name, strlen(name));

	if (!p) {
		if (nparams == MAX_PARAMS)
			nook_bug(__FILE__, __LINE__, "too many module parameters");
		p = &params[nparams++];
		p->name = name;
	}
	p->type = type;
	p->var = var;
	p->max = max_elems;
	p->num = num;
}

void nook_param_describe(const char *name, const char *desc)
{
	struct param *p = param_find(name, strlen(name));

	if (!p) {
		nook_param_register(name, NOOK_PARAM_INT, NULL, 0, NULL);
		p = param_find(name, strlen(name));
	}
	p->desc = desc;
}

static int param_set_one(struct param *p, unsigned int idx, const char *val)
{
	long long v;
	bool b;
	int r;

	switch (p->type) {
	case NOOK_PARAM_BOOL:
		r = kstrtobool(val, &b);
		if (!r)
			((bool *)p->var)[idx] = b;
		return r;
	case NOOK_PARAM_BINT:
		r = kstrtobool(val, &b);
		if (!r)
			((int *)p->var)[idx] = b;
		return r;
	case NOOK_PARAM_CHARP:
		((const char **)p->var)[idx] = val;
		return 0;
	default:
		r = kstrtoll(val, 0, &v);
		if (r)
			return r;
		switch (p->type) {
		case NOOK_PARAM_INT:
			((int *)p->var)[idx] = (int)v;
			break;
		case NOOK_PARAM_UINT:
			((unsigned int *)p->var)[idx] = (unsigned int)v;
			break;
		case NOOK_PARAM_SHORT:
			((short *)p->var)[idx] = (short)v;
			break;
		case NOOK_PARAM_USHORT:
			((unsigned short *)p->var)[idx] = (unsigned short)v;
			break;
		case NOOK_PARAM_ULONG:
			((unsigned long *)p->var)[idx] = (unsigned long)v;
			break;
		default:
			return -EINVAL;
		}
		return 0;
	}
}

int nook_module_param_set(const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct param *p;
	unsigned int idx = 0;
	const char *val;

	if (!eq)
		return -EINVAL;
	p = param_find(arg, (size_t)(eq - arg));
	if (!p || !p->var)
		return -ENOENT;
	/* An array takes a comma-separated list, one value per device, as insmod does. */
	for (val = eq + 1; idx < p->max; idx++) {
		char one[64];
		const char *comma = strchr(val, ',');
		size_t len = comma ? (size_t)(comma - val) : strlen(val);
		int r;

		if (len >= sizeof(one))
			return -EINVAL;
		memcpy(one, val, len);
		one[len] = '\0';
		r = param_set_one(p, idx,
				  p->type == NOOK_PARAM_CHARP ? kstrdup(one, GFP_KERNEL) : one);
		if (r)
			return r;
		if (!comma)
			break;
		val = comma + 1;
	}
	if (idx == p->max)
		return -E2BIG;
	if (p->num)
		*p->num = idx + 1;
	return 0;
}

void nook_module_params_list(void (*fn)(const char *name, const char *desc, void *ctx), void *ctx)
{
	for (unsigned int i = 0; i < nparams; i++)
		if (params[i].var)
			fn(params[i].name, params[i].desc ? params[i].desc : "", ctx);
}

int nook_module_init(void)
{
	if (!nook_module_init_fn)
		return -ENOENT;
	return nook_module_init_fn();
}

/* module_exit may sleep (a driver's remove stops its device): it runs in a task. */
static int exit_task(void *data)
{
	nook_module_exit_fn();
	*(bool *)data = true;
	return 0;
}

static bool flag_set(void *arg)
{
	return *(bool *)arg;
}

int nook_module_exit(long long deadline_ns)
{
	bool done = false;

	if (!nook_module_exit_fn)
		return 0;
	if (!nook_task_create(exit_task, &done, "module_exit"))
		return -ENOMEM;
	return nook_kernel_run_until(flag_set, &done, deadline_ns);
}
