/* mg_store_body and the SDK's access to the upload directory. Paths are
 * relative to the upload directory the host granted; the host refuses any
 * that would lead out of it. */

#include <limits.h>
#include <string.h>

#include "civetweb.h"
#include "civetbox_imports.h"
#include "civetbox_sdk.h"

/* CivetWeb's mg_store_body results. */
enum {
	STORE_CONSUMED = -11, /* body already (partly) read */
	STORE_OPEN = -12,     /* file cannot be created */
	STORE_WRITE = -13,    /* writing failed; the file is removed */
	STORE_CLOSE = -14     /* closing failed; the file is removed */
};

/* Read size: CivetWeb's MG_BUF_LEN. Static, as the guest stack is small. */
static char store_buf[8192];

int
civetbox_upload_open(const char *path)
{
	if (path == NULL || path[0] == '\0') {
		return -1;
	}
	return civetbox_host_upload_open(path, strlen(path));
}

int
civetbox_upload_write(int handle, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		size_t n = len > INT_MAX ? INT_MAX : len;

		if (civetbox_host_upload_write(handle, p, n) != (int)n) {
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int
civetbox_upload_close(int handle, int keep)
{
	return civetbox_host_upload_close(handle, keep);
}

long long
mg_store_body(struct mg_connection *conn, const char *path)
{
	long long stored = 0;
	int handle, n;

	if (conn == NULL) {
		return -1;
	}
	if (civetbox_body_consumed(conn) != 0) {
		mg_cry(conn, "mg_store_body: contents already consumed");
		return STORE_CONSUMED;
	}
	/* A path ending in "/" names a directory: CivetWeb stores nothing. */
	if (path != NULL && path[0] != '\0' && path[strlen(path) - 1] == '/') {
		return 0;
	}
	handle = civetbox_upload_open(path);
	if (handle < 0) {
		return STORE_OPEN;
	}
	while ((n = mg_read(conn, store_buf, sizeof(store_buf))) > 0) {
		if (civetbox_upload_write(handle, store_buf, (size_t)n) != 0) {
			civetbox_upload_close(handle, 0);
			return STORE_WRITE;
		}
		stored += n;
	}
	if (n < 0) {
		/* CivetWeb keeps what arrived before a failed read; a body cut
		 * short (client gone, over the size limit) is discarded here. */
		civetbox_upload_close(handle, 0);
		return STORE_WRITE;
	}
	if (civetbox_upload_close(handle, 1) != 0) {
		return STORE_CLOSE;
	}
	return stored;
}
