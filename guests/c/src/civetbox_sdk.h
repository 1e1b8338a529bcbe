/* Functions the SDK's C files share with each other; not part of the
 * CivetWeb API. */

#ifndef CIVETBOX_SDK_H
#define CIVETBOX_SDK_H

#include <stddef.h>

#include "civetweb.h"

/* Body bytes mg_read has returned during this request. */
long long civetbox_body_consumed(const struct mg_connection *conn);

/* Files in the upload directory (see civetbox_upload.c). A file appears
 * under its path only when closed with keep != 0. */
int civetbox_upload_open(const char *path);
int civetbox_upload_write(int handle, const void *buf, size_t len);
int civetbox_upload_close(int handle, int keep);

#endif
