/*
 * ui_png.h - a small PNG writer and reader (8-bit RGB, zlib) for
 * screenshots and screenshot tests. SDL_image is not used on purpose.
 */
#ifndef UI_PNG_H
#define UI_PNG_H
#include <stdbool.h>

/* Writes w x h RGB pixels (3 bytes each, rows packed) to path. */
bool ui_png_write(const char *path, const unsigned char *rgb, int w, int h);

/* Reads an 8-bit RGB or RGBA, non-interlaced PNG into a malloc'ed RGB
 * buffer (alpha dropped). False if the file is missing or unsupported. */
bool ui_png_read(const char *path, unsigned char **rgb, int *w, int *h);

#endif
