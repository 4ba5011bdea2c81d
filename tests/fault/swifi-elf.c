// SPDX-License-Identifier: GPL-2.0-only
/*
 * The symbol table of a driver program, read with <elf.h>'s structures from the mapped file:
 * the planner needs .symtab's functions and the bytes of .text, which is a few dozen lines,
 * where libelf would be one more build and run-time dependency for the same.
 *
 * Every offset and size read from the file is checked against the file's size before use:
 * the input is whatever path the command line gives.
 */
#include "swifi-elf.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct swifi_elf {
	const uint8_t *map;
	size_t size;
	const Elf64_Shdr *shdrs;
	size_t n_shdrs;
	const Elf64_Sym *syms;
	size_t n_syms;
	const char *strtab;
	size_t strtab_size;
};

/* Whether [off, off + len) lies inside a file of size bytes, without overflowing. */
static int in_file(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

static int check_header(const uint8_t *map, size_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)map;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(size, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
		return -EBADMSG;
	/* Section headers are 8-byte aligned in any file a linker writes; the casts rely on it. */
	if (eh->e_shoff % 8 != 0)
		return -EBADMSG;
	return 0;
}

/* Finds .symtab and the string table it links to. */
static int find_symtab(struct swifi_elf *elf)
{
	for (size_t i = 0; i < elf->n_shdrs; i++) {
		const Elf64_Shdr *sh = &elf->shdrs[i];
		const Elf64_Shdr *str;

		if (sh->sh_type != SHT_SYMTAB)
			continue;
		if (sh->sh_entsize != sizeof(Elf64_Sym) || sh->sh_offset % 8 != 0 ||
		    !in_file(elf->size, sh->sh_offset, sh->sh_size) || sh->sh_link >= elf->n_shdrs)
			return -EBADMSG;
		str = &elf->shdrs[sh->sh_link];
		if (str->sh_type != SHT_STRTAB || str->sh_size == 0 ||
		    !in_file(elf->size, str->sh_offset, str->sh_size) ||
		    elf->map[str->sh_offset + str->sh_size - 1] != '\0')
			return -EBADMSG;
		elf->syms = (const Elf64_Sym *)(elf->map + sh->sh_offset);
		elf->n_syms = sh->sh_size / sizeof(Elf64_Sym);
		elf->strtab = (const char *)elf->map + str->sh_offset;
		elf->strtab_size = str->sh_size;
		return 0;
	}
	return -ENODATA;
}

int swifi_elf_open(const char *path, struct swifi_elf **ret_elf)
{
	const Elf64_Ehdr *eh;
	struct swifi_elf *elf;
	struct stat st;
	void *map;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -ENOEXEC;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	r = -errno;
	close(fd);
	if (map == MAP_FAILED)
		return r;

	elf = calloc(1, sizeof(*elf));
	if (!elf) {
		munmap(map, st.st_size);
		return -ENOMEM;
	}
	elf->map = map;
	elf->size = st.st_size;
	r = check_header(elf->map, elf->size);
	if (r < 0)
		goto fail;
	eh = (const Elf64_Ehdr *)elf->map;
	elf->shdrs = (const Elf64_Shdr *)(elf->map + eh->e_shoff);
	elf->n_shdrs = eh->e_shnum;
	r = find_symtab(elf);
	if (r < 0)
		goto fail;
	*ret_elf = elf;
	return 0;
fail:
	swifi_elf_close(elf);
	return r;
}

void swifi_elf_close(struct swifi_elf *elf)
{
	if (!elf)
		return;
	munmap((void *)elf->map, elf->size);
	free(elf);
}

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

/*
 * The bytes of a function: through its section's header, vaddr - sh_addr + sh_offset. NULL if
 * the section is not executable code present in the file, or the function overruns it.
 */
static const uint8_t *func_code(const struct swifi_elf *elf, const Elf64_Sym *sym)
{
	const Elf64_Shdr *sh;

	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= elf->n_shdrs)
		return NULL;
	sh = &elf->shdrs[sym->st_shndx];
	if (sh->sh_type != SHT_PROGBITS || !(sh->sh_flags & SHF_EXECINSTR))
		return NULL;
	if (sym->st_value < sh->sh_addr || sym->st_value - sh->sh_addr > sh->sh_size ||
	    sym->st_size > sh->sh_size - (sym->st_value - sh->sh_addr))
		return NULL;
	if (!in_file(elf->size, sh->sh_offset, sh->sh_size))
		return NULL;
	return elf->map + sh->sh_offset + (sym->st_value - sh->sh_addr);
}

int swifi_elf_functions(const struct swifi_elf *elf, char *const *names, size_t n_names,
			struct swifi_func **ret_funcs, size_t *ret_n)
{
	struct swifi_func *funcs = NULL;
	size_t n = 0;

	for (size_t i = 0; i < elf->n_syms; i++) {
		const Elf64_Sym *sym = &elf->syms[i];
		const char *name;
		const uint8_t *code;
		struct swifi_func *grown;

		if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC || sym->st_size == 0 ||
		    sym->st_name >= elf->strtab_size)
			continue;
		name = elf->strtab + sym->st_name;
		if (!bsearch(name, names, n_names, sizeof(*names), cmp_name))
			continue;
		code = func_code(elf, sym);
		if (!code)
			continue;
		grown = reallocarray(funcs, n + 1, sizeof(*funcs));
		if (!grown) {
			free(funcs);
			return -ENOMEM;
		}
		funcs = grown;
		funcs[n++] = (struct swifi_func){
			.name = name,
			.vaddr = sym->st_value,
			.size = sym->st_size,
			.code = code,
		};
	}
	*ret_funcs = funcs;
	*ret_n = n;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the names and drops repeats, so that a name listed twice is one name. */
static size_t sort_unique(char **names, size_t n)
{
	size_t kept = 0;

	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (kept > 0 && strcmp(names[kept - 1], names[i]) == 0) {
			free(names[i]);
			continue;
		}
		names[kept++] = names[i];
	}
	return kept;
}

int swifi_names_read(const char *path, char ***ret_names, size_t *ret_n)
{
	char **names = NULL, *line = NULL;
	size_t n = 0, cap = 0;
	ssize_t len;
	FILE *f;
	int r = 0;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while ((len = getline(&line, &cap, f)) >= 0) {
		char **grown;

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == ' ' ||
				   line[len - 1] == '\t' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		grown = reallocarray(names, n + 1, sizeof(*names));
		if (!grown) {
			r = -ENOMEM;
			break;
		}
		names = grown;
		names[n] = strdup(line);
		if (!names[n]) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	if (r == 0 && ferror(f))
		r = -EIO;
	free(line);
	fclose(f);
	if (r == 0 && n == 0)
		r = -ENODATA;
	if (r < 0) {
		swifi_names_free(names, n);
		return r;
	}
	*ret_n = sort_unique(names, n);
	*ret_names = names;
	return 0;
}

void swifi_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
