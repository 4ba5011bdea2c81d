// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of nook-swifi, the SWIFI fault planner, run as a program on a real driver program:
 *
 *   test-swifi NOOK_SWIFI DRIVER FUNCTIONS
 *
 * 400 seeds' plans (200 of --class any with 1 to 4 faults, 200 of --class code with 1 to 16)
 * are checked against the contract the driver program and the campaign runner rely on: one
 * line of valid JSON; specs that parse; a code fault's ORIG the program's bytes at VADDR (read
 * here through the program headers, not the section headers the planner uses), NEW as long
 * and different, inside a listed function, decoding to whole instructions (Zydis) for every
 * type but bit-flip; faults of one plan apart; each of the 8 mutation types and each
 * interface and device fault kind seen. Then: a seed gives the same plan twice, two seeds two
 * plans; and bad input exits 2 with a message and no plan.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <Zydis/Zydis.h>

#include "swifi-elf.h"

extern char **environ;

static const char *swifi, *driver, *functions;

/* ---- running nook-swifi ---- */

struct run {
	int status; /* exit status, or -1 if it did not exit */
	char out[65536];
	size_t out_len;
	char err[8192];
	size_t err_len;
};

static void drain(int fd, char *buf, size_t size, size_t *len, bool *open)
{
	ssize_t n = read(fd, buf + *len, size - 1 - *len);

	if (n <= 0 || *len + n >= size - 1)
		*open = false;
	if (n > 0)
		*len += n;
	buf[*len] = '\0';
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs nook-swifi with args (NULL-terminated), 10 s at most, its output in r. */
static void run(struct run *r, const char *const *args)
{
	const char *argv[32] = { swifi };
	int out[2], err[2], status;
	bool out_open = true, err_open = true;
	int64_t deadline = now_ms() + 10000;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	size_t n = 1;

	for (; *args; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	memset(r, 0, sizeof(*r));
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	assert_int_equal(pipe2(err, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
	assert_int_equal(posix_spawn(&pid, swifi, &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	while ((out_open || err_open) && now_ms() < deadline) {
		struct pollfd pfd[2] = { { out_open ? out[0] : -1, POLLIN, 0 },
					 { err_open ? err[0] : -1, POLLIN, 0 } };

		if (poll(pfd, 2, deadline - now_ms()) <= 0)
			continue;
		if (pfd[0].revents)
			drain(out[0], r->out, sizeof(r->out), &r->out_len, &out_open);
		if (pfd[1].revents)
			drain(err[0], r->err, sizeof(r->err), &r->err_len, &err_open);
	}
	if (out_open || err_open)
		kill(pid, SIGKILL);
	close(out[0]);
	close(err[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void run_plan(struct run *r, uint64_t seed, const char *class, unsigned count)
{
	char s[24], k[8];

	snprintf(s, sizeof(s), "%" PRIu64, seed);
	snprintf(k, sizeof(k), "%u", count);
	run(r, (const char *[]){ "plan", "--driver", driver, "--functions", functions, "--seed", s,
				 "--class", class, "--count", k, NULL });
}

/* ---- a strict JSON parser (RFC 8259), enough to check and read a plan ---- */

enum jtype { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct jv {
	enum jtype type;
	char *text; /* a string's value, a number's digits */
	size_t n;
	char **keys;	   /* an object's */
	struct jv **items; /* an array's or an object's values */
};

static void jfree(struct jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		jfree(v->items[i]);
	}
	free(v->keys);
	free(v->items);
	free(v->text);
	free(v);
}

static void skip_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

/* A string's contents after its opening quote; NULL if malformed. */
static char *jstring(const char **p)
{
	char *out = malloc(strlen(*p) + 1);
	size_t n = 0;

	for (;;) {
		unsigned char c = **p;

		if (c == '\0') {
			free(out);
			return NULL;
		}
		(*p)++;
		if (c == '"') {
			out[n] = '\0';
			return out;
		}
		if (c < 0x20) {
			free(out);
			return NULL;
		}
		if (c != '\\') {
			out[n++] = c;
			continue;
		}
		c = **p;
		if (c == '\0') {
			free(out);
			return NULL;
		}
		(*p)++;
		if (c == 'u') {
			unsigned v;

			if (strspn(*p, "0123456789abcdefABCDEF") < 4 ||
			    sscanf(*p, "%4x", &v) != 1 || v == 0 || v > 0x7f) {
				free(out); /* a plan is ASCII */
				return NULL;
			}
			out[n++] = v;
			*p += 4;
		} else if (strchr("\"\\/bfnrt", c) && c) {
			const char *to = "\"\\/\b\f\n\r\t";

			out[n++] = to[strchr("\"\\/bfnrt", c) - "\"\\/bfnrt"];
		} else {
			free(out);
			return NULL;
		}
	}
}

static bool jnumber(const char **p)
{
	const char *s = *p;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s += strspn(s, "0123456789");
	else
		return false;
	if (*s == '.') {
		s++;
		if (!strspn(s, "0123456789"))
			return false;
		s += strspn(s, "0123456789");
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!strspn(s, "0123456789"))
			return false;
		s += strspn(s, "0123456789");
	}
	*p = s;
	return true;
}

static struct jv *jparse(const char **p, int depth);

/* Consumes c, never the string's end. */
static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static bool jadd(struct jv *v, char *key, struct jv *item)
{
	v->items = realloc(v->items, (v->n + 1) * sizeof(*v->items));
	if (v->type == J_OBJECT)
		v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
	v->items[v->n] = item;
	if (v->keys)
		v->keys[v->n] = key;
	v->n++;
	return true;
}

/* An array's or an object's members, after its opening bracket. */
static bool jmembers(const char **p, struct jv *v, int depth)
{
	char close = v->type == J_ARRAY ? ']' : '}';

	skip_ws(p);
	if (**p == close) {
		(*p)++;
		return true;
	}
	for (;;) {
		char *key = NULL;
		struct jv *item;

		skip_ws(p);
		if (v->type == J_OBJECT) {
			if (!expect(p, '"') || !(key = jstring(p)))
				return false;
			skip_ws(p);
			if (!expect(p, ':')) {
				free(key);
				return false;
			}
		}
		item = jparse(p, depth + 1);
		if (!item) {
			free(key);
			return false;
		}
		jadd(v, key, item);
		skip_ws(p);
		if (**p == close) {
			(*p)++;
			return true;
		}
		if (!expect(p, ','))
			return false;
	}
}

static struct jv *jparse(const char **p, int depth)
{
	struct jv *v = calloc(1, sizeof(*v));
	const char *start;

	skip_ws(p);
	start = *p;
	if (depth > 16)
		goto fail;
	if (**p == '{' || **p == '[') {
		v->type = *(*p)++ == '{' ? J_OBJECT : J_ARRAY;
		if (!jmembers(p, v, depth))
			goto fail;
	} else if (**p == '"') {
		(*p)++;
		v->type = J_STRING;
		if (!(v->text = jstring(p)))
			goto fail;
	} else if (strncmp(*p, "null", 4) == 0) {
		*p += 4;
	} else if (strncmp(*p, "true", 4) == 0 || strncmp(*p, "false", 5) == 0) {
		v->type = J_BOOL;
		*p += **p == 't' ? 4 : 5;
	} else if (jnumber(p)) {
		v->type = J_NUMBER;
		v->text = strndup(start, *p - start);
	} else {
		goto fail;
	}
	return v;
fail:
	jfree(v);
	return NULL;
}

/* A whole document: one value, nothing after it but white space. */
static struct jv *jparse_document(const char *s)
{
	struct jv *v = jparse(&s, 0);

	if (!v)
		return NULL;
	skip_ws(&s);
	if (*s != '\0') {
		jfree(v);
		return NULL;
	}
	return v;
}

static struct jv *jget(const struct jv *obj, const char *key)
{
	for (size_t i = 0; obj->type == J_OBJECT && i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

static const char *jstr(const struct jv *obj, const char *key)
{
	struct jv *v = jget(obj, key);

	assert_non_null(v);
	assert_int_equal(v->type, J_STRING);
	return v->text;
}

static uint64_t jnum(const struct jv *obj, const char *key)
{
	struct jv *v = jget(obj, key);

	assert_non_null(v);
	assert_int_equal(v->type, J_NUMBER);
	assert_int_equal(strspn(v->text, "0123456789"), strlen(v->text));
	return strtoull(v->text, NULL, 10);
}

static void test_json_parser(void **state)
{
	const char *good[] = { "{}", "[]", "{\"a\":[1,-2.5e3,true,false,null,\"x\\\"\\u0041\"]}" };
	const char *bad[] = { "",	  "{",	     "{\"a\"}", "[1,]",	 "{\"a\":1,}", "01",
			      "\"\x01\"", "[1] [2]", "{'a':1}", "[1 2]", "nul" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct jv *v = jparse_document(good[i]);

		assert_non_null(v);
		jfree(v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(jparse_document(bad[i]));
}

/* ---- the driver program, read independently of the planner ---- */

static uint8_t *file;
static size_t file_size;
static struct swifi_elf *elf;
static struct swifi_func *funcs;
static size_t n_funcs;
static ZydisDecoder decoder;

/* The bytes at vaddr, through the PT_LOAD program headers. */
static const uint8_t *bytes_at(uint64_t vaddr, size_t len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(file + eh->e_phoff);

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || vaddr < ph[i].p_vaddr ||
		    vaddr + len > ph[i].p_vaddr + ph[i].p_filesz)
			continue;
		return file + ph[i].p_offset + (vaddr - ph[i].p_vaddr);
	}
	return NULL;
}

static int setup(void **state)
{
	char **names;
	size_t n_names;
	FILE *f = fopen(driver, "re");
	struct stat st;

	if (!f || fstat(fileno(f), &st) < 0)
		return -1;
	file_size = st.st_size;
	file = malloc(file_size);
	if (fread(file, 1, file_size, f) != file_size)
		return -1;
	fclose(f);
	if (swifi_elf_open(driver, &elf) < 0 || swifi_names_read(functions, &names, &n_names) < 0 ||
	    swifi_elf_functions(elf, names, n_names, &funcs, &n_funcs) < 0 || n_funcs == 0)
		return -1;
	swifi_names_free(names, n_names);
	if (!ZYAN_SUCCESS(ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64,
					   ZYDIS_STACK_WIDTH_64)))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	free(funcs);
	swifi_elf_close(elf);
	free(file);
	return 0;
}

/* ---- checking plans ---- */

static const char *const code_types[] = {
	"bit-flip",	 "swap-register", "corrupt-pointer", "delete-instruction",
	"delete-branch", "invert-branch", "remove-init",     "off-by-one",
};

/* Kinds, with N's and ARG's ranges: the contract's (nook-swifi.c's table may be narrower). */
static const struct {
	const char *prefix, *kind;
	uint64_t n_min, n_max, arg_min, arg_max;
} other_kinds[] = {
	{ "iface", "alloc", 1, 3000, 1, UINT64_MAX },
	{ "iface", "dma-map", 1, 3000, 1, UINT64_MAX },
	{ "iface", "request-irq", 1, 2, 1, 1 },
	{ "iface", "timer-late", 1, 200, 10, 2000 },
	{ "iface", "sleep-early", 1, 200, 0, 0 },
	{ "dev", "mmio-ones", 1, 20000, 0, 0 },
	{ "dev", "mmio-random", 1, 20000, 1, 64 },
	{ "dev", "desc-corrupt", 1, 2000, 0, 0 },
	{ "dev", "irq-lost", 1, 2000, 0, 0 },
	{ "dev", "irq-storm", 1, 2000, 0, 0 },
};

#define N_OTHER (sizeof(other_kinds) / sizeof(other_kinds[0]))

struct seen {
	unsigned code[8];
	unsigned other[N_OTHER];
};

/* Lowercase hex digits, an even number of them, 1 to 15 bytes, into out. */
static size_t parse_hex_bytes(const char *s, size_t n, uint8_t *out)
{
	assert_true(n % 2 == 0 && n >= 2 && n <= 30);
	for (size_t i = 0; i < n; i++)
		assert_true(s[i] != '\0' && strchr("0123456789abcdef", s[i]));
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;

		sscanf(s + 2 * i, "%2x", &v);
		out[i] = v;
	}
	return n / 2;
}

static bool decodes_exactly(const uint8_t *b, size_t len)
{
	ZydisDecodedInstruction ins;
	size_t off = 0;

	while (off < len) {
		if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&decoder, NULL, b + off, len - off,
								&ins)))
			return false;
		off += ins.length;
	}
	return true;
}

struct span {
	uint64_t start, len;
};

static void check_code_fault(const struct jv *f, struct seen *seen, struct span *span)
{
	const char *spec = jstr(f, "spec"), *type = jstr(f, "type");
	const char *a, *b;
	uint8_t orig[15], new[15];
	uint64_t vaddr;
	size_t len, type_i;
	const struct swifi_func *func = NULL;
	char prefix[256];
	char *end;

	/* code:0xVADDR:ORIG:NEW */
	assert_true(strncmp(spec, "code:0x", 7) == 0);
	vaddr = strtoull(spec + 7, &end, 16);
	assert_true(end > spec + 7 && *end == ':');
	for (const char *c = spec + 7; c < end; c++)
		assert_non_null(strchr("0123456789abcdef", *c));
	a = end + 1;
	b = strchr(a, ':');
	assert_non_null(b);
	len = parse_hex_bytes(a, b - a, orig);
	assert_int_equal(strlen(b + 1), 2 * len);
	parse_hex_bytes(b + 1, 2 * len, new);
	assert_memory_not_equal(orig, new, len);
	assert_non_null(bytes_at(vaddr, len));
	assert_memory_equal(orig, bytes_at(vaddr, len), len);

	for (type_i = 0; type_i < 8 && strcmp(type, code_types[type_i]) != 0; type_i++)
		;
	assert_in_range(type_i, 0, 7);
	seen->code[type_i]++;
	if (strcmp(type, "bit-flip") != 0)
		assert_true(decodes_exactly(new, len));

	for (size_t i = 0; i < n_funcs && !func; i++)
		if (vaddr >= funcs[i].vaddr && vaddr + len <= funcs[i].vaddr + funcs[i].size &&
		    strcmp(funcs[i].name, jstr(f, "function")) == 0)
			func = &funcs[i];
	assert_non_null(func);
	assert_int_equal(jnum(f, "offset"), vaddr - func->vaddr);
	assert_true(strlen(jstr(f, "before")) > 0 && strlen(jstr(f, "after")) > 0);
	snprintf(prefix, sizeof(prefix), "%s+0x%" PRIx64 ": ", func->name, vaddr - func->vaddr);
	assert_true(strncmp(jstr(f, "description"), prefix, strlen(prefix)) == 0);
	*span = (struct span){ vaddr, len };
}

static void check_other_fault(const struct jv *f, const char *class, struct seen *seen)
{
	const char *spec = jstr(f, "spec");
	char prefix[16], kind[32];
	uint64_t n, arg;
	size_t k;
	int used = 0;

	assert_int_equal(sscanf(spec, "%15[a-z]:%31[a-z-]:%" SCNu64 ":%" SCNu64 "%n", prefix, kind,
				&n, &arg, &used),
			 4);
	assert_int_equal(used, strlen(spec));
	assert_string_equal(prefix, strcmp(class, "iface") == 0 ? "iface" : "dev");
	for (k = 0; k < N_OTHER; k++)
		if (strcmp(other_kinds[k].prefix, prefix) == 0 &&
		    strcmp(other_kinds[k].kind, kind) == 0)
			break;
	assert_in_range(k, 0, N_OTHER - 1);
	assert_in_range(n, other_kinds[k].n_min, other_kinds[k].n_max);
	assert_in_range(arg, other_kinds[k].arg_min, other_kinds[k].arg_max);
	assert_string_equal(jstr(f, "type"), kind);
	assert_true(strlen(jstr(f, "description")) > 0);
	/* Omitted or null. */
	for (const char *const *key =
		     (const char *const[]){ "function", "offset", "before", "after", NULL };
	     *key; key++)
		assert_true(!jget(f, *key) || jget(f, *key)->type == J_NULL);
	seen->other[k]++;
}

/* Checks one plan's output; its class and number of faults must be as asked. */
static void check_plan(const struct run *r, uint64_t seed, const char *asked, unsigned count,
		       struct seen *seen)
{
	struct span spans[16];
	struct jv *plan, *faults;
	const char *class;

	assert_int_equal(r->status, 0);
	assert_int_equal(r->err_len, 0);
	/* Exactly one line. */
	assert_true(r->out_len > 0 && r->out[r->out_len - 1] == '\n');
	assert_ptr_equal(strchr(r->out, '\n'), r->out + r->out_len - 1);
	plan = jparse_document(r->out);
	assert_non_null(plan);
	assert_int_equal(plan->type, J_OBJECT);
	assert_int_equal(jnum(plan, "seed"), seed);
	class = jstr(plan, "class");
	assert_true(strcmp(class, "code") == 0 || strcmp(class, "iface") == 0 ||
		    strcmp(class, "device") == 0);
	if (strcmp(asked, "any") != 0)
		assert_string_equal(class, asked);
	faults = jget(plan, "faults");
	assert_non_null(faults);
	assert_int_equal(faults->type, J_ARRAY);
	assert_int_equal(faults->n, count);
	for (size_t i = 0; i < faults->n; i++) {
		assert_int_equal(faults->items[i]->type, J_OBJECT);
		if (strcmp(class, "code") != 0) {
			check_other_fault(faults->items[i], class, seen);
			continue;
		}
		check_code_fault(faults->items[i], seen, &spans[i]);
		for (size_t j = 0; j < i; j++)
			assert_true(spans[i].start + spans[i].len <= spans[j].start ||
				    spans[j].start + spans[j].len <= spans[i].start);
	}
	jfree(plan);
}

/* 200 seeds, class any, 1 to 4 faults each; then 200 of class code, 1 to 16 faults. */
static void test_plans_are_valid(void **state)
{
	struct seen seen = {};
	struct run r;

	for (uint64_t seed = 1; seed <= 200; seed++) {
		run_plan(&r, seed, "any", 1 + seed % 4);
		check_plan(&r, seed, "any", 1 + seed % 4, &seen);
	}
	for (size_t i = 0; i < 8; i++) {
		print_message("%-20s %u\n", code_types[i], seen.code[i]);
		assert_true(seen.code[i] > 0);
	}
	for (size_t k = 0; k < N_OTHER; k++) {
		print_message("%-20s %u\n", other_kinds[k].kind, seen.other[k]);
		assert_true(seen.other[k] > 0);
	}
	for (uint64_t seed = 1000; seed < 1200; seed++) {
		run_plan(&r, seed, "code", 1 + seed % 16);
		check_plan(&r, seed, "code", 1 + seed % 16, &seen);
	}
}

static void test_large_seed(void **state)
{
	struct seen seen = {};
	struct run r;

	run_plan(&r, UINT64_MAX, "device", 16);
	check_plan(&r, UINT64_MAX, "device", 16, &seen);
	run_plan(&r, 0, "iface", 16);
	check_plan(&r, 0, "iface", 16, &seen);
}

static void test_same_seed_same_plan(void **state)
{
	static struct run a, b;

	for (uint64_t seed = 1; seed <= 20; seed++) {
		run_plan(&a, seed, "any", 5);
		run_plan(&b, seed, "any", 5);
		assert_int_equal(a.status, 0);
		assert_string_equal(a.out, b.out);
		run_plan(&b, seed + 1, "any", 5);
		assert_string_not_equal(a.out, b.out);
	}
	run_plan(&a, 7, "code", 16);
	run_plan(&b, 7, "code", 16);
	assert_string_equal(a.out, b.out);
}

static void test_functions_lists_candidates(void **state)
{
	struct run r;
	size_t lines = 0;

	run(&r,
	    (const char *[]){ "functions", "--driver", driver, "--functions", functions, NULL });
	assert_int_equal(r.status, 0);
	for (const char *c = r.out; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, n_funcs);
}

/* A probe per function entry: its address and the first byte the program has there. */
static void test_probes_name_each_entry(void **state)
{
	struct run r;
	size_t lines = 0;

	run(&r, (const char *[]){ "probes", "--driver", driver, "--functions", functions, NULL });
	assert_int_equal(r.status, 0);
	for (const char *line = r.out; *line; line = strchr(line, '\n') + 1) {
		unsigned long long vaddr;
		unsigned int byte;
		bool found = false;

		assert_int_equal(sscanf(line, "probe:0x%llx:%2x\n", &vaddr, &byte), 2);
		for (size_t i = 0; i < n_funcs && !found; i++)
			found = funcs[i].vaddr == vaddr && funcs[i].code[0] == byte;
		assert_true(found);
		lines++;
	}
	assert_true(lines > 0 && lines <= n_funcs);
}

/* ---- bad input ---- */

static char tmpdir[] = "/tmp/test-swifi.XXXXXX";

static char tmp_files[8][64];
static unsigned n_tmp_files;

static const char *tmp_file(const char *name, const void *data, size_t len)
{
	char *path;
	FILE *f;

	assert_true(n_tmp_files < 8);
	path = tmp_files[n_tmp_files++];

	snprintf(path, 64, "%s/%s", tmpdir, name);
	f = fopen(path, "we");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* The driver program with its header or its symbol table's section header changed. */
static const char *patched_driver(const char *name, void (*patch)(uint8_t *copy))
{
	uint8_t *copy = malloc(file_size);
	const char *path;

	memcpy(copy, file, file_size);
	patch(copy);
	path = tmp_file(name, copy, file_size);
	free(copy);
	return path;
}

static void make_arm64(uint8_t *copy)
{
	((Elf64_Ehdr *)copy)->e_machine = EM_AARCH64;
}

static void make_elf32(uint8_t *copy)
{
	copy[EI_CLASS] = ELFCLASS32;
}

static void strip_symtab(uint8_t *copy)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)copy;
	Elf64_Shdr *sh = (Elf64_Shdr *)(copy + eh->e_shoff);

	for (unsigned i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB)
			sh[i].sh_type = SHT_NULL;
}

static void expect_usage_error(const char *what, const char *const *args)
{
	struct run r;

	run(&r, args);
	print_message("%-32s -> %d: %s", what, r.status, r.err);
	assert_int_equal(r.status, 2);
	assert_true(r.err_len > 0);
	assert_int_equal(r.out_len, 0);
}

/* A function list naming the program's smallest function, if it is under 16 bytes. */
static const char *smallest_function_list(void)
{
	const struct swifi_func *min = NULL;
	char line[256];

	for (size_t i = 0; i < n_funcs; i++)
		if (!min || funcs[i].size < min->size)
			min = &funcs[i];
	if (!min || min->size >= 16)
		return NULL;
	snprintf(line, sizeof(line), "%s\n", min->name);
	return tmp_file("tiny", line, strlen(line));
}

static void test_bad_input_exits_2(void **state)
{
	const char *elf_arm64, *elf32, *stripped, *empty, *unknown, *text, *tiny;
	const char *d = driver, *fn = functions;

	assert_non_null(mkdtemp(tmpdir));
	elf_arm64 = patched_driver("arm64", make_arm64);
	elf32 = patched_driver("elf32", make_elf32);
	stripped = patched_driver("stripped", strip_symtab);
	empty = tmp_file("empty", "\n# nothing\n\n", 12);
	unknown = tmp_file("unknown", "no_such_function\nnor_this\n", 26);
	/*
	 * The program's smallest function (e1000_get_msglevel, 3 instructions in a plain
	 * build): under 16 bytes, it cannot hold 16 instructions. A sanitizer build
	 * instruments even that one; then no function may be small enough, and that case is
	 * not tried.
	 */
	tiny = smallest_function_list();
	text = tmp_file("text", "hello\n", 6);

#define P(...) ((const char *[]){ "plan", __VA_ARGS__, NULL })
	expect_usage_error("seed abc", P("--driver", d, "--functions", fn, "--seed", "abc"));
	expect_usage_error("seed -1", P("--driver", d, "--functions", fn, "--seed", "-1"));
	expect_usage_error("seed empty", P("--driver", d, "--functions", fn, "--seed", ""));
	expect_usage_error("seed 12x", P("--driver", d, "--functions", fn, "--seed", "12x"));
	expect_usage_error("seed 2^64",
			   P("--driver", d, "--functions", fn, "--seed", "18446744073709551616"));
	expect_usage_error("seed missing", P("--driver", d, "--functions", fn));
	expect_usage_error("count x",
			   P("--driver", d, "--functions", fn, "--seed", "1", "--count", "x"));
	expect_usage_error("count 0",
			   P("--driver", d, "--functions", fn, "--seed", "1", "--count", "0"));
	expect_usage_error("count 17",
			   P("--driver", d, "--functions", fn, "--seed", "1", "--count", "17"));
	expect_usage_error("class bogus",
			   P("--driver", d, "--functions", fn, "--seed", "1", "--class", "bogus"));
	expect_usage_error("driver missing", P("--driver", "/nonexistent/nook-driver",
					       "--functions", fn, "--seed", "1"));
	expect_usage_error("driver no option", P("--functions", fn, "--seed", "1"));
	expect_usage_error("driver not ELF", P("--driver", text, "--functions", fn, "--seed", "1"));
	expect_usage_error("driver arm64",
			   P("--driver", elf_arm64, "--functions", fn, "--seed", "1"));
	expect_usage_error("driver ELF32", P("--driver", elf32, "--functions", fn, "--seed", "1"));
	expect_usage_error("driver stripped",
			   P("--driver", stripped, "--functions", fn, "--seed", "1"));
	expect_usage_error("functions missing",
			   P("--driver", d, "--functions", "/nonexistent/list", "--seed", "1"));
	expect_usage_error("functions no option", P("--driver", d, "--seed", "1"));
	expect_usage_error("functions empty",
			   P("--driver", d, "--functions", empty, "--seed", "1"));
	expect_usage_error("functions none found",
			   P("--driver", d, "--functions", unknown, "--seed", "1"));
	if (tiny)
		expect_usage_error("count beyond the code",
				   P("--driver", d, "--functions", tiny, "--seed", "1", "--class",
				     "code", "--count", "16"));
	else
		printf("count beyond the code: not tried, no function is under 16 bytes\n");
	expect_usage_error("unknown option",
			   P("--driver", d, "--functions", fn, "--seed", "1", "--bogus"));
	expect_usage_error("stray argument",
			   P("--driver", d, "--functions", fn, "--seed", "1", "extra"));
#undef P
	expect_usage_error("no command", (const char *[]){ NULL });
	expect_usage_error("unknown command", (const char *[]){ "inject", NULL });
	expect_usage_error("functions with seed",
			   (const char *[]){ "functions", "--driver", d, "--functions", fn,
					     "--seed", "1", NULL });
	for (unsigned i = 0; i < n_tmp_files; i++)
		unlink(tmp_files[i]);
	rmdir(tmpdir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parser),
		cmocka_unit_test(test_plans_are_valid),
		cmocka_unit_test(test_large_seed),
		cmocka_unit_test(test_same_seed_same_plan),
		cmocka_unit_test(test_functions_lists_candidates),
		cmocka_unit_test(test_probes_name_each_entry),
		cmocka_unit_test(test_bad_input_exits_2),
	};
	int r;

	if (argc != 4) {
		fprintf(stderr, "usage: test-swifi NOOK_SWIFI DRIVER FUNCTIONS\n");
		return 2;
	}
	swifi = argv[1];
	driver = argv[2];
	functions = argv[3];
	r = cmocka_run_group_tests(tests, setup, teardown);
	return r;
}
