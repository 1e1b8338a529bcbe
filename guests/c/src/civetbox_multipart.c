/* mg_handle_form_request for multipart/form-data bodies (RFC 7578), read
 * through civetbox_form.c's window so memory stays bounded, and checked as
 * strictly as CivetWeb 1.15 checks them: the same malformed bodies give -1.
 */

#include <stdlib.h>
#include <string.h>

#include "civetweb.h"
#include "civetbox_form.h"

/* CivetWeb's MG_MAX_HEADERS, for a part's header lines. */
#define PART_MAX_HEADERS 64

/* Boundary lengths CivetWeb accepts; RFC 2046 allows 1 to 70. */
#define BOUNDARY_MIN 4
#define BOUNDARY_MAX 70

/* Copies the boundary parameter of a multipart Content-Type into out, as
 * CivetWeb reads it: everything after "boundary=" (so a later parameter
 * would be part of it), or the quoted string. Returns its length, or -1. */
static int
parse_boundary(const char *type, char out[BOUNDARY_MAX + 1])
{
	const char *p = type + 20, *end; /* after "multipart/form-data;" */
	size_t len;

	while (*p == ' ') {
		p++;
	}
	if (mg_strncasecmp(p, "boundary=", 9) != 0) {
		return -1;
	}
	p += 9;
	if (*p == '"') {
		p++;
		end = strchr(p, '"');
		if (end == NULL) {
			return -1;
		}
	} else {
		end = p + strlen(p);
	}
	len = (size_t)(end - p);
	if (len > BOUNDARY_MAX || len < BOUNDARY_MIN) {
		return -1;
	}
	memcpy(out, p, len);
	out[len] = '\0';
	return (int)len;
}

/* Finds "\r\n--" followed by the boundary in len bytes (binary data). */
static char *
find_boundary(char *buf, size_t len, const char *boundary, size_t blen)
{
	size_t i;

	if (len < blen + 4) {
		return NULL;
	}
	for (i = 0; i + blen + 4 <= len; i++) {
		if (!memcmp(buf + i, "\r\n--", 4) && !memcmp(buf + i + 4, boundary, blen)) {
			return buf + i;
		}
	}
	return NULL;
}

/* Parses "Name: value" lines at *pos as CivetWeb parses request headers,
 * NUL-terminating names and values in place, and leaves *pos after the last
 * line parsed. Returns the number of lines, or -1 for a malformed one. */
static int
parse_part_headers(char **pos, struct mg_header *hdr)
{
	int n = 0, i;

	for (i = 0; i < PART_MAX_HEADERS; i++) {
		char *p = *pos;

		while (*p != ':' && *p >= 33 && *p <= 126) {
			p++;
		}
		if (p == *pos) {
			break;
		}
		while (*p == ' ') {
			*p++ = '\0';
		}
		if (*p != ':') {
			return -1;
		}
		*p = '\0';
		hdr[i].name = *pos;
		do {
			p++;
		} while (*p == ' ' || *p == '\t');
		hdr[i].value = p;
		while (*p != '\0' && *p != '\r' && *p != '\n') {
			p++;
		}
		if (*p == '\r') {
			*p++ = '\0';
			if (*p != '\n') {
				return -1;
			}
		}
		n = i + 1;
		if (*p == '\0') {
			*pos = p;
			break;
		}
		*p++ = '\0';
		*pos = p;
		if (*p == '\r' || *p == '\n') {
			break;
		}
	}
	return n;
}

static const char *
part_header(const struct mg_header *hdr, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!mg_strcasecmp(hdr[i].name, name)) {
			return hdr[i].value;
		}
	}
	return NULL;
}

/* Finds param (like "name=") in a Content-Disposition value where it starts
 * a word, not inside another parameter ("filename=" holds "name="). */
static const char *
find_param(const char *disp, const char *param)
{
	const char *p = strstr(disp, param);

	while (p != NULL && p != disp && strchr(":,; \t", p[-1]) == NULL) {
		p = strstr(p + 1, param);
	}
	return p;
}

/* Locates the value of param in disp, quoted or up to a separator, in
 * [*beg, *end). Returns 0 if absent, 1 if found, -1 for an unterminated
 * quoted value. */
static int
disp_param(const char *disp, const char *quoted, const char *bare,
           const char **beg, const char **end)
{
	const char *p = find_param(disp, quoted);

	if (p != NULL) {
		*beg = p + strlen(quoted);
		*end = strchr(*beg, '"');
		return *end ? 1 : -1;
	}
	p = find_param(disp, bare);
	if (p == NULL) {
		return 0;
	}
	*beg = p + strlen(bare);
	*end = *beg + strcspn(*beg, ",; \t");
	return 1;
}

/* A part's head: its field name and optional file name (still encoded),
 * and where its content starts. */
struct part {
	const char *name, *name_end;
	const char *file, *file_end;
	char *content;
};

/* Parses the part head following "--boundary\r\n" at head. Returns 0, or
 * -1 if it is malformed. */
static int
parse_part(char *head, struct part *pt)
{
	struct mg_header hdr[PART_MAX_HEADERS];
	char *hend = strstr(head, "\r\n\r\n"), *pos = head;
	const char *disp;
	int n;

	if (hend == NULL) {
		return -1;
	}
	n = parse_part_headers(&pos, hdr);
	if (pos != hend + 2) {
		return -1;
	}
	pt->content = hend + 4;
	disp = part_header(hdr, n, "Content-Disposition");
	if (disp == NULL || disp_param(disp, "name=\"", "name=", &pt->name, &pt->name_end) != 1) {
		return -1;
	}
	pt->file = pt->file_end = NULL;
	if (disp_param(disp, "filename=\"", "filename=", &pt->file, &pt->file_end) < 0) {
		return -1;
	}
	/* name=filename=x: the two must not overlap. */
	if (pt->file != NULL && !(pt->file > pt->name_end || pt->name > pt->file_end)) {
		return -1;
	}
	return 0;
}

/* Reads a part's content up to the next boundary, handing it to its
 * storage piece by piece. *next is the boundary's "\r\n" (NULL if
 * field_get aborted first). Returns 0, or -1 for a body that ends early. */
static int
part_content(struct form *f, struct part *pt, const char *boundary, size_t blen,
             int *storage, int *pieces, char **next)
{
	char *content = pt->content;
	size_t key_len = (size_t)(pt->name_end - pt->name);
	int r;

	*next = find_boundary(content - 2, (size_t)(f->buf + f->fill - (content - 2)),
	                      boundary, blen);
	while (*next == NULL) {
		size_t avail = (size_t)(f->buf + f->fill - content);

		if (avail < blen + 4) {
			return -1;
		}
		/* Keep back what could be the start of a boundary. */
		avail -= blen + 4;
		if (*storage == MG_FORM_FIELD_STORAGE_GET) {
			r = form_get_raw(f, *pieces ? NULL : pt->name, *pieces ? 0 : key_len,
			                 content, avail);
			(*pieces)++;
			if (r == MG_FORM_FIELD_HANDLE_ABORT) {
				break;
			}
			if (r == MG_FORM_FIELD_HANDLE_NEXT) {
				*storage = MG_FORM_FIELD_STORAGE_SKIP;
			}
		}
		form_store_write(f, content, avail);
		memmove(f->buf, content + avail, blen + 4);
		f->fill = (int)(blen + 4);
		content = f->buf;
		r = form_read(f);
		if (r < 0 || (r == 0 && f->all_read)) {
			return -1;
		}
		*next = find_boundary(f->buf, (size_t)f->fill, boundary, blen);
		if (*next == NULL && r == 0) {
			f->all_read = 1;
		}
	}
	pt->content = content;
	return 0;
}

/* Checks the delimiter at the start of buf. Returns 1 if a part follows,
 * 0 at the close delimiter ending the body, -1 if malformed. */
static int
delimiter(struct form *f, const char *boundary, size_t blen)
{
	char *b = f->buf;

	if (b[0] != '-' || b[1] != '-' || strncmp(b + 2, boundary, blen) != 0) {
		return -1;
	}
	if (b[blen + 2] == '\r' && b[blen + 3] == '\n') {
		return 1;
	}
	/* The close delimiter must end the body, CRLF included. */
	if ((size_t)f->fill != blen + 6 || strncmp(b + blen + 2, "--\r\n", 4) != 0) {
		return -1;
	}
	return 0;
}

/* Drops a preamble before the first delimiter, as CivetWeb does: anything
 * before the first '-'. */
static void
skip_preamble(struct form *f)
{
	int d = 0;

	while (d < f->fill && f->buf[d] != '-') {
		d++;
	}
	if (d > 0 && d < f->fill) {
		memmove(f->buf, f->buf + d, (size_t)(f->fill - d));
		f->fill -= d;
		f->buf[f->fill] = '\0';
	}
}

/* Handles the part whose head starts at buf. Returns 1 to go on, 0 when a
 * callback stopped the parsing, -1 for a malformed or truncated body. */
static int
form_part(struct form *f, const char *boundary, size_t blen)
{
	struct part pt;
	char *next;
	size_t len;
	int storage, pieces = 0, r;

	if (parse_part(f->buf + blen + 4, &pt) != 0) {
		return -1;
	}
	f->count++;
	storage = form_field_found(f, pt.name, (size_t)(pt.name_end - pt.name),
	                           pt.file != pt.file_end ? pt.file : NULL,
	                           (size_t)(pt.file_end - pt.file));
	if (storage == MG_FORM_FIELD_STORAGE_STORE) {
		form_store_begin(f);
	}
	if (part_content(f, &pt, boundary, blen, &storage, &pieces, &next) != 0) {
		return -1;
	}
	len = next ? (size_t)(next - pt.content) : 0;
	if (storage == MG_FORM_FIELD_STORAGE_GET) {
		r = form_get_raw(f, pieces ? NULL : pt.name,
		                 pieces ? 0 : (size_t)(pt.name_end - pt.name), pt.content, len);
		if (r == MG_FORM_FIELD_HANDLE_ABORT) {
			return 0;
		}
		if (r == MG_FORM_FIELD_HANDLE_NEXT) {
			storage = MG_FORM_FIELD_STORAGE_SKIP;
		}
	}
	if (storage == MG_FORM_FIELD_STORAGE_STORE) {
		form_store_write(f, pt.content, len);
		if (form_store_end(f) == MG_FORM_FIELD_HANDLE_ABORT) {
			return 0;
		}
	}
	if ((storage & MG_FORM_FIELD_STORAGE_ABORT) == MG_FORM_FIELD_STORAGE_ABORT) {
		return 0;
	}
	if (next != NULL) {
		size_t used = (size_t)(next - f->buf) + 2;

		memmove(f->buf, f->buf + used, (size_t)f->fill - used + 1);
		f->fill -= (int)used;
	} else {
		f->fill = 0;
	}
	return 1;
}

int
form_multipart(struct form *f, const char *content_type)
{
	char boundary[BOUNDARY_MAX + 1];
	int blen = parse_boundary(content_type, boundary);
	int part_no, r;

	if (blen < 0) {
		return -1;
	}
	for (part_no = 0;; part_no++) {
		r = form_read(f);
		if (r < 0 || (r == 0 && f->all_read)) {
			return -1;
		}
		if (r == 0) {
			f->all_read = f->fill == 0;
		}
		if (f->fill < 1) {
			return -1;
		}
		if (part_no == 0) {
			skip_preamble(f);
		}
		r = delimiter(f, boundary, (size_t)blen);
		if (r <= 0) {
			return r < 0 ? -1 : f->count;
		}
		r = form_part(f, boundary, (size_t)blen);
		if (r <= 0) {
			return r < 0 ? -1 : f->count;
		}
	}
}
