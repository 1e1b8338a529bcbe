/* Internals of mg_handle_form_request shared by civetbox_form.c and
 * civetbox_multipart.c. */

#ifndef CIVETBOX_FORM_H
#define CIVETBOX_FORM_H

#include <stddef.h>

#include "civetweb.h"

/* The body is parsed through a window of CivetWeb's MG_BUF_LEN bytes (one
 * kept for a terminating NUL), so a long value reaches field_get in pieces
 * at the same offsets as under CivetWeb. */
#define FORM_BUF_LEN 8192

/* One mg_handle_form_request call; allocated per call, so memory stays
 * bounded whatever the body's size. */
struct form {
	struct mg_connection *conn;
	struct mg_form_data_handler *fdh;
	char path[512];      /* where field_found asked a STORE field to go */
	int upload;          /* open upload handle, or -1 */
	long long file_size; /* bytes written to it */
	int count;           /* fields found */
	int fill;            /* bytes in buf */
	int all_read;        /* CivetWeb's guess that the body has ended */
	char buf[FORM_BUF_LEN];
};

/* Reads more body after buf's fill bytes and keeps buf NUL-terminated.
 * Returns mg_read's result. */
int form_read(struct form *f);

/* Calls field_found for a new field (key and filename still URL-encoded)
 * and returns the storage it chose, SKIP if it chose a callback the
 * handler lacks. */
int form_field_found(struct form *f,
                     const char *key,
                     size_t key_len,
                     const char *filename,
                     size_t filename_len);

/* Calls field_get with a raw (multipart) value. key may be NULL for a
 * value's later pieces: CivetWeb passes "" as their key. */
int form_get_raw(struct form *f,
                 const char *key,
                 size_t key_len,
                 const char *value,
                 size_t value_len);

/* STORE: opens f->path, appends to it, and closes it. form_store_end keeps
 * the file and calls field_store, returning its result (0 without a
 * file); form_store_discard removes it. */
void form_store_begin(struct form *f);
void form_store_write(struct form *f, const char *data, size_t len);
int form_store_end(struct form *f);
void form_store_discard(struct form *f);

int form_multipart(struct form *f, const char *content_type);

#endif
