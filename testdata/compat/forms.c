/* forms: mg_handle_form_request with callbacks that record what they see.
 *
 *   /forms/all    every callback; what field_found answers depends on the
 *                 field's name (see storage_for), field_get and field_store
 *                 record each call, and the reply lists the calls and the
 *                 return value.
 *   /forms/noget  no field_get or field_store callback: a field asking for
 *                 either is skipped.
 *
 * Fields stored as files go to "form-<name>.bin", relative to the server's
 * upload directory (civetbox) or working directory (CivetWeb).
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "civetweb.h"
#include "text.h"

static struct text reply;

/* What field_found answers, by the field name's prefix. */
static int
storage_for(const char *key)
{
	static const struct {
		const char *prefix;
		int storage;
	} rules[] = {
	    {"skip", MG_FORM_FIELD_STORAGE_SKIP},
	    {"storestop", MG_FORM_FIELD_STORAGE_STORE},
	    {"store", MG_FORM_FIELD_STORAGE_STORE},
	    {"nopath", MG_FORM_FIELD_STORAGE_STORE},
	    {"abortget", MG_FORM_FIELD_STORAGE_GET | MG_FORM_FIELD_STORAGE_ABORT},
	    {"abort", MG_FORM_FIELD_STORAGE_ABORT},
	};
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (!strncmp(key, rules[i].prefix, strlen(rules[i].prefix))) {
			return rules[i].storage;
		}
	}
	return MG_FORM_FIELD_STORAGE_GET;
}

/* Appends s (n bytes) printably: at most 40 bytes, escaped. */
static void
add_preview(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isprint(c) && c != '\\') {
			add(&reply, "%c", c);
		} else {
			add(&reply, "\\x%02x", c);
		}
	}
	if (n > 40) {
		add(&reply, "...");
	}
}

static int
field_found(const char *key, const char *filename, char *path, size_t pathlen, void *user_data)
{
	int storage = storage_for(key);
	size_t i;

	(void)user_data;
	add(&reply, "found key=\"%s\" filename=\"%s\" pathlen=%zu -> %d\n", key, filename,
	    pathlen, storage);
	if ((storage & 0xF) == MG_FORM_FIELD_STORAGE_STORE && strncmp(key, "nopath", 6) != 0) {
		snprintf(path, pathlen, "form-%s.bin", key);
		for (i = 5; path[i] != '\0'; i++) {
			if (!isalnum((unsigned char)path[i]) && path[i] != '.' && path[i] != '-') {
				path[i] = '_';
			}
		}
	}
	return storage;
}

static int
field_get(const char *key, const char *value, size_t valuelen, void *user_data)
{
	unsigned int hash = 2166136261u;
	size_t i;
	int r = 0;

	(void)user_data;
	for (i = 0; i < valuelen; i++) {
		hash = (hash ^ (unsigned char)value[i]) * 16777619u;
	}
	if (!strncmp(key, "stop", 4)) {
		r = MG_FORM_FIELD_HANDLE_ABORT;
	} else if (!strncmp(key, "next", 4)) {
		r = MG_FORM_FIELD_HANDLE_NEXT;
	}
	add(&reply, "get key=\"%s\" len=%zu fnv=%08x value=\"", key, valuelen, hash);
	add_preview(value, valuelen);
	add(&reply, "\" -> %d\n", r);
	return r;
}

static int
field_store(const char *path, long long file_size, void *user_data)
{
	int r = strncmp(path, "form-storestop", 14) ? 0 : MG_FORM_FIELD_HANDLE_ABORT;

	(void)user_data;
	add(&reply, "stored path=\"%s\" size=%lld -> %d\n", path, file_size, r);
	return r;
}

static int
form_handler(struct mg_connection *conn, void *cbdata)
{
	struct mg_form_data_handler fdh = {field_found, field_get, field_store, NULL};
	int ret;

	if (cbdata != NULL) {
		fdh.field_get = NULL;
		fdh.field_store = NULL;
	}
	reply.len = 0;
	ret = mg_handle_form_request(conn, &fdh);
	add(&reply, "returned %d\n", ret);
	/* Also in the log: a response the host answered itself (413) hides it. */
	mg_cry(conn, "compat-observe: mg_handle_form_request returned %d", ret);
	if (ret < 0) {
		/* What a careful handler does with a malformed form. */
		mg_send_http_error(conn, 400, "%.*s", (int)reply.len, reply.buf);
		return 400;
	}
	send_text(conn, "text/plain", &reply);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	static int noget;

	mg_set_request_handler(ctx, "/forms/all", form_handler, NULL);
	mg_set_request_handler(ctx, "/forms/noget", form_handler, &noget);
	return 0;
}
