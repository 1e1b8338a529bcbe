/* mg_handle_form_request: the form fields of a GET query string or of an
 * application/x-www-form-urlencoded body, handed to the handler's callbacks
 * as CivetWeb 1.15 does (multipart bodies are in civetbox_multipart.c).
 *
 * The parsing follows CivetWeb's closely, quirks included, because handlers
 * see its details: how a long value is split into field_get calls, that
 * later pieces come with an empty key, that a STORE field of a urlencoded
 * form stores the value still encoded. Where CivetWeb would loop forever or
 * read out of bounds, this returns -1 (or the fields found so far) instead.
 */

#include <stdlib.h>
#include <string.h>

#include "civetweb.h"
#include "civetbox_form.h"
#include "civetbox_sdk.h"

/* Keys and file names longer than this (decoded) are skipped, as in
 * CivetWeb. */
#define FORM_NAME_LEN 1024

int
form_read(struct form *f)
{
	size_t room = sizeof(f->buf) - 1 - (size_t)f->fill;
	int r = mg_read(f->conn, f->buf + f->fill, room);

	if (r > 0) {
		f->fill += r;
	}
	f->buf[f->fill] = '\0';
	return r;
}

/* ---- file names ------------------------------------------------------------ */

/* Removes "." and ".." segments (RFC 3986 section 5.2.4), turns "\" into
 * "/", and then, as CivetWeb does for Windows' sake, drops dots before a
 * "/" or at the end and merges repeated "/". The client's file name reaches
 * field_found in this form. */
static void
clean_file_name(char *s)
{
	char *in = s, *out = s;

	for (; *in; in++) {
		if (*in == '\\') {
			*in = '/';
		}
	}
	in = s;
	while (*in) {
		if (!strncmp(in, "../", 3)) {
			in += 3;
		} else if (!strncmp(in, "./", 2)) {
			in += 2;
		} else if (!strncmp(in, "/./", 3)) {
			in += 2;
		} else if (!strcmp(in, "/.")) {
			in[1] = '\0';
		} else if (!strncmp(in, "/../", 4) || !strcmp(in, "/..")) {
			if (in[3] == '\0') {
				in[1] = '\0';
			} else {
				in += 3;
			}
			while (out != s && *--out != '/') {
			}
		} else if (!strcmp(in, ".") || !strcmp(in, "..")) {
			*in = '\0';
		} else {
			do {
				*out++ = *in++;
			} while (*in && *in != '/');
		}
	}
	*out = '\0';

	in = out = s;
	while (*in) {
		if (*in == '.') {
			char *end = in;

			while (*++end == '.') {
			}
			if (*end == '/') {
				in = end;
				if (out != s && out[-1] == '/') {
					out--;
				}
			} else if (*end == '\0') {
				in = end;
			} else {
				while (in != end) {
					*out++ = *in++;
				}
			}
		} else if (*in == '/') {
			*out++ = '/';
			while (*++in == '/') {
			}
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
}

/* ---- callbacks ----------------------------------------------------------- */

/* Decodes a key as CivetWeb does ('+' is a space); NULL is "". */
static int
decode_name(const char *src, size_t len, char *dst)
{
	if (src == NULL) {
		dst[0] = '\0';
		return 0;
	}
	return mg_url_decode(src, (int)len, dst, FORM_NAME_LEN, 1);
}

int
form_field_found(struct form *f,
                 const char *key,
                 size_t key_len,
                 const char *filename,
                 size_t filename_len)
{
	char key_dec[FORM_NAME_LEN], name_dec[FORM_NAME_LEN];
	struct mg_form_data_handler *fdh = f->fdh;
	int n, storage;

	memset(f->path, 0, sizeof(f->path));
	n = decode_name(key, key_len, key_dec);
	if (n < 0 || n >= FORM_NAME_LEN) {
		return MG_FORM_FIELD_STORAGE_SKIP;
	}
	name_dec[0] = '\0';
	if (filename != NULL) {
		n = decode_name(filename, filename_len, name_dec);
		if (n < 0 || n >= FORM_NAME_LEN) {
			mg_cry(f->conn, "mg_handle_form_request: cannot decode filename");
			return MG_FORM_FIELD_STORAGE_SKIP;
		}
		clean_file_name(name_dec);
	}
	if (fdh->field_found == NULL) {
		return MG_FORM_FIELD_STORAGE_SKIP; /* CivetWeb would crash */
	}
	storage = fdh->field_found(key_dec, name_dec, f->path, sizeof(f->path) - 1,
	                           fdh->user_data);
	if ((storage & 0xF) == MG_FORM_FIELD_STORAGE_GET && fdh->field_get == NULL) {
		mg_cry(f->conn, "mg_handle_form_request: no field_get callback");
		return MG_FORM_FIELD_STORAGE_SKIP;
	}
	if ((storage & 0xF) == MG_FORM_FIELD_STORAGE_STORE && fdh->field_store == NULL) {
		mg_cry(f->conn, "mg_handle_form_request: no field_store callback");
		return MG_FORM_FIELD_STORAGE_SKIP;
	}
	return storage;
}

int
form_get_raw(struct form *f,
             const char *key,
             size_t key_len,
             const char *value,
             size_t value_len)
{
	char key_dec[FORM_NAME_LEN];

	decode_name(key, key_len, key_dec);
	return f->fdh->field_get(key_dec, value, value_len, f->fdh->user_data);
}

/* Calls field_get with a URL-encoded value, decoded. A '%' escape cut by
 * the end of the piece is left out of it (*value_len shrinks), to start
 * the next piece. */
static int
form_get_encoded(struct form *f,
                 const char *key,
                 size_t key_len,
                 const char *value,
                 size_t *value_len)
{
	char key_dec[FORM_NAME_LEN];
	char *value_dec;
	int n, r;

	if (*value_len >= 2 && value[*value_len - 2] == '%') {
		*value_len -= 2;
	} else if (*value_len >= 1 && value[*value_len - 1] == '%') {
		(*value_len)--;
	}
	value_dec = malloc(*value_len + 1);
	if (value_dec == NULL) {
		mg_cry(f->conn, "mg_handle_form_request: out of memory");
		return MG_FORM_FIELD_HANDLE_ABORT;
	}
	decode_name(key, key_len, key_dec);
	n = mg_url_decode(value, (int)*value_len, value_dec, (int)*value_len + 1, 1);
	r = f->fdh->field_get(key_dec, value_dec, (size_t)n, f->fdh->user_data);
	free(value_dec);
	return r;
}

/* ---- stored fields ----------------------------------------------------------- */

void
form_store_begin(struct form *f)
{
	f->file_size = 0;
	f->upload = civetbox_upload_open(f->path);
	if (f->upload < 0) {
		mg_cry(f->conn, "mg_handle_form_request: cannot create file %s", f->path);
	}
}

void
form_store_write(struct form *f, const char *data, size_t len)
{
	if (f->upload < 0) {
		return;
	}
	if (civetbox_upload_write(f->upload, data, len) != 0) {
		mg_cry(f->conn, "mg_handle_form_request: cannot write file %s", f->path);
		form_store_discard(f);
		return;
	}
	f->file_size += (long long)len;
}

int
form_store_end(struct form *f)
{
	int h = f->upload;

	if (h < 0) {
		return 0;
	}
	f->upload = -1;
	if (civetbox_upload_close(h, 1) != 0) {
		mg_cry(f->conn, "mg_handle_form_request: error saving file %s", f->path);
		return 0;
	}
	return f->fdh->field_store(f->path, f->file_size, f->fdh->user_data);
}

void
form_store_discard(struct form *f)
{
	if (f->upload >= 0) {
		civetbox_upload_close(f->upload, 0);
		f->upload = -1;
	}
}

/* ---- GET: the query string ----------------------------------------------- */

static int
form_query(struct form *f, const char *data)
{
	while (*data) {
		const char *eq = strchr(data, '='), *val, *amp, *next;
		size_t val_len;
		int storage, r;

		if (eq == NULL) {
			break;
		}
		f->count++;
		storage = form_field_found(f, data, (size_t)(eq - data), NULL, 0);
		val = eq + 1;
		amp = strchr(val, '&');
		val_len = amp ? (size_t)(amp - val) : strlen(val);
		if (storage == MG_FORM_FIELD_STORAGE_GET) {
			r = form_get_encoded(f, data, (size_t)(eq - data), val, &val_len);
			if (r == MG_FORM_FIELD_HANDLE_ABORT) {
				break;
			}
			if (r == MG_FORM_FIELD_HANDLE_NEXT) {
				storage = MG_FORM_FIELD_STORAGE_SKIP;
			}
		}
		next = amp ? amp + 1 : val + val_len;
		if (storage == MG_FORM_FIELD_STORAGE_STORE) {
			form_store_begin(f);
			form_store_write(f, val, val_len);
			if (form_store_end(f) == MG_FORM_FIELD_HANDLE_ABORT) {
				break;
			}
		}
		if ((storage & MG_FORM_FIELD_STORAGE_ABORT) == MG_FORM_FIELD_STORAGE_ABORT) {
			break;
		}
		data = next;
	}
	return f->count;
}

/* ---- POST: a urlencoded body ------------------------------------------------ */

/* Drops the buffer's first used bytes. */
static void
form_consume(struct form *f, size_t used)
{
	memmove(f->buf, f->buf + used, (size_t)f->fill - used + 1);
	f->fill -= (int)used;
}

/* CivetWeb's end-of-body rule: a read of 0 with an error if the body was
 * already believed to have ended, else ended if nothing is left in buf. */
static int
form_refill(struct form *f)
{
	int r = form_read(f);

	if (r < 0 || (r == 0 && f->all_read)) {
		return -1;
	}
	if (r == 0) {
		f->all_read = f->fill == 0;
	}
	return r;
}

enum { VALUE_DONE, VALUE_ABORTED, VALUE_STUCK, VALUE_ERROR };

/* Passes the value starting at *val on to its storage, reading more of the
 * body while it lasts. On return *next is where the next field starts (or
 * the '&' ending the value when field_get aborted), NULL if unknown. */
static int
form_value(struct form *f, int *storage, const char *key, size_t key_len,
           char *val, char **next)
{
	int pieces = 0, done;

	do {
		char *amp = strchr(val, '&');
		size_t val_len;
		int r;

		val_len = amp ? (size_t)(amp - val) : strlen(val);
		done = amp != NULL || f->all_read;
		if (*storage == MG_FORM_FIELD_STORAGE_GET) {
			r = form_get_encoded(f, pieces ? NULL : key, pieces ? 0 : key_len, val,
			                     &val_len);
			pieces++;
			if (r == MG_FORM_FIELD_HANDLE_ABORT) {
				*next = amp;
				return VALUE_ABORTED;
			}
			if (r == MG_FORM_FIELD_HANDLE_NEXT) {
				*storage = MG_FORM_FIELD_STORAGE_SKIP;
			}
		}
		*next = amp ? amp + 1 : val + val_len;
		form_store_write(f, val, val_len);
		if (!done) {
			size_t used = (size_t)(*next - f->buf);
			int r = 1;

			form_consume(f, used);
			*next = f->buf;
			if (f->fill < (int)sizeof(f->buf) - 1) {
				r = form_refill(f);
				if (r < 0) {
					return VALUE_ERROR;
				}
				if (f->fill < 1) {
					break;
				}
				val = f->buf;
			}
			/* Nothing consumed and nothing new: CivetWeb spins here
			 * forever (a NUL byte in the body, or a lone "%" at its end). */
			if (used == 0 && (r == 0 || f->fill == (int)sizeof(f->buf) - 1)) {
				return VALUE_STUCK;
			}
		}
	} while (!done);
	return VALUE_DONE;
}

static int
form_urlencoded(struct form *f)
{
	for (;;) {
		char *eq, *next = NULL;
		int storage, outcome;

		if (f->fill < (int)sizeof(f->buf) - 1) {
			if (form_refill(f) < 0) {
				return -1;
			}
			if (f->fill < 1) {
				break;
			}
		}
		eq = strchr(f->buf, '=');
		if (eq == NULL) {
			break;
		}
		f->count++;
		storage = form_field_found(f, f->buf, (size_t)(eq - f->buf), NULL, 0);
		if ((storage & MG_FORM_FIELD_STORAGE_ABORT) == MG_FORM_FIELD_STORAGE_ABORT) {
			break;
		}
		if (storage == MG_FORM_FIELD_STORAGE_STORE) {
			form_store_begin(f);
		}
		outcome = form_value(f, &storage, f->buf, (size_t)(eq - f->buf), eq + 1, &next);
		if (outcome == VALUE_ERROR || outcome == VALUE_STUCK) {
			form_store_discard(f);
			return -1;
		}
		if (form_store_end(f) == MG_FORM_FIELD_HANDLE_ABORT) {
			break;
		}
		if (f->all_read && f->fill == 0) {
			break;
		}
		if (next == NULL) {
			break; /* field_get aborted the last value: CivetWeb's pointer is wild */
		}
		form_consume(f, (size_t)(next - f->buf));
	}
	return f->count;
}

/* ---- entry ----------------------------------------------------------------- */

static int
has_body(const struct mg_connection *conn, const struct mg_request_info *ri)
{
	const char *te = mg_get_header(conn, "Transfer-Encoding");

	return ri->content_length > 0 || (te != NULL && mg_strcasecmp(te, "chunked") == 0);
}

static int
form_dispatch(struct form *f)
{
	const struct mg_request_info *ri = mg_get_request_info(f->conn);
	const char *type;

	if (ri == NULL) {
		return -1;
	}
	if (!has_body(f->conn, ri)) {
		if (strcmp(ri->request_method, "GET") != 0 || ri->query_string == NULL) {
			return -1;
		}
		return form_query(f, ri->query_string);
	}
	type = mg_get_header(f->conn, "Content-Type");
	if (type == NULL || !mg_strncasecmp(type, "application/x-www-form-urlencoded", 33) ||
	    !mg_strncasecmp(type, "application/www-form-urlencoded", 31)) {
		return form_urlencoded(f);
	}
	if (!mg_strncasecmp(type, "multipart/form-data;", 20)) {
		return form_multipart(f, type);
	}
	return -1;
}

int
mg_handle_form_request(struct mg_connection *conn, struct mg_form_data_handler *fdh)
{
	struct form *f;
	int r;

	if (conn == NULL || fdh == NULL) {
		return -1;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		mg_cry(conn, "mg_handle_form_request: out of memory");
		return -1;
	}
	f->conn = conn;
	f->fdh = fdh;
	f->upload = -1;
	r = form_dispatch(f);
	form_store_discard(f); /* only left open on an error */
	free(f);
	return r;
}
