/* Per-character data of a pdfium text page in one call per page (reader/pdfium.py).

   pdfium has no bulk call for character boxes: Python asked four ctypes calls per character,
   most of the reading layer's time. This file loops over the characters with pdfium's own
   functions, whose addresses Python passes in (pypdfium2 loads pdfium; this library links
   nothing), and fills flat arrays. Plain C, no Python headers, loaded with ctypes; built by
   `make setup` (see the Makefile). Without it reader/pdfium.py takes its pure-Python path, which
   gives the same characters (tests/reader/test_pdfium_chars.py).

   The arithmetic in zvit_boxes is pdfium.py's, operation for operation, in IEEE doubles: built
   with -ffp-contract=off (no fused multiply-add), so every result is bit-identical. */

#include <stdint.h>
#include <string.h>

/* The signatures below, as a number reader/pdfium.py checks before using this library: a
   library built from an older copy of this file (no `make setup` since a pull) is not used. */
int zvit_abi(void) { return 1; }

typedef int (*is_generated_fn)(void *, int);
typedef void *(*text_object_fn)(void *, int);
typedef int (*map_error_fn)(void *, int);
typedef int (*loose_box_fn)(void *, int, float *);
typedef int (*origin_fn)(void *, int, double *, double *);
typedef int (*matrix_fn)(void *, int, float *);
typedef void *(*font_fn)(void *);
typedef int (*font_size_fn)(void *, float *);

/* Pass 1: for each character `i` of text page `tp` whose UTF-16 code is `codes[i]`:
   slot[i] = the index of its text object among `objects` (filled here, first seen first), or
   -1 when pdfium generated it (a guessed space or line end) or it has no object;
   map_error[i], box[4*i..] (left, top, right, bottom) and origin[2*i..] as pdfium gives them.
   Per object k: `first[k]`, its first character; `matrix[4*k..]`, that character's matrix
   (a, b, c, d); `font[k]` and `size[k]`, its font and font size. Returns the number of
   objects, or -1 when more than `max_objects`. `table` (2 * n + 1 entries, zeroed by the
   caller) is scratch. Buffers are Python `array`s passed by address. */
int zvit_chars(void *tp, int n, const uint16_t *codes, is_generated_fn is_generated,
               text_object_fn text_object, map_error_fn map_error, loose_box_fn loose_box,
               origin_fn origin, matrix_fn get_matrix, font_fn get_font,
               font_size_fn get_font_size, int32_t *slot, uint8_t *map_err, float *box,
               double *org, uintptr_t *objects, int32_t *first, float *matrix, uintptr_t *font,
               float *size, int max_objects, int64_t *table) {
    int n_objects = 0;
    uintptr_t last = 0;
    int last_slot = -1;
    int64_t slots = 2 * (int64_t)n + 1;
    for (int i = 0; i < n; i++) {
        slot[i] = -1;
        if (codes[i] <= 32 && is_generated(tp, i))
            continue;
        uintptr_t key = (uintptr_t)text_object(tp, i);
        if (!key)
            continue;
        int s;
        if (key == last) {
            s = last_slot;
        } else {
            /* open addressing on the object's address: table holds slot + 1, 0 is empty */
            int64_t h = (int64_t)((key >> 4) % (uint64_t)slots);
            for (;;) {
                int64_t v = table[h];
                if (v == 0) {
                    if (n_objects >= max_objects)
                        return -1;
                    s = n_objects++;
                    objects[s] = key;
                    first[s] = i;
                    table[h] = s + 1;
                    float m[6] = {0, 0, 0, 0, 0, 0}; /* FS_MATRIX */
                    get_matrix(tp, i, m);
                    memcpy(matrix + 4 * (int64_t)s, m, 4 * sizeof(float));
                    font[s] = (uintptr_t)get_font((void *)key);
                    size[s] = 0;
                    get_font_size((void *)key, size + s);
                    break;
                }
                if (objects[v - 1] == key) {
                    s = (int)(v - 1);
                    break;
                }
                h = (h + 1) % slots;
            }
            last = key;
            last_slot = s;
        }
        slot[i] = s;
        map_err[i] = map_error(tp, i) ? 1 : 0;
        loose_box(tp, i, box + 4 * (int64_t)i);
        origin(tp, i, org + 2 * (int64_t)i, org + 2 * (int64_t)i + 1);
    }
    return n_objects;
}

/* Pass 2: the boxes of the characters listed in `order` (a character index, or -1 for one
   Python builds), for objects whose `simple[k]` is set (text matrix and device matrix along
   the page axes), written at their position in `order`; `done[j]` says which were.
   Per object k: la, ld (its matrix through the page matrix), lo, hi (descent and descent +
   size, times size), scale. `page`: a0 b0 c0 d0 e0 f0 (page matrix), height, mb_top, mb_x0,
   doctop. The arithmetic is `PdfiumPage._read_chars`'s, in its order. */
void zvit_boxes(int n_out, const int32_t *order, const int32_t *slot, const uint8_t *simple,
                const double *la, const double *ld, const double *lo, const double *hi,
                const double *scale, const float *box, const double *org, const double *page,
                uint8_t *done, double *x0_out, double *x1_out, double *y0_out, double *y1_out,
                double *top_out, double *bottom_out, double *ex_out, double *ey_out,
                double *width_out, double *height_out, double *doctop_out, double *vmid_out,
                double *hmid_out) {
    double a0 = page[0], b0 = page[1], c0 = page[2], d0 = page[3], e0 = page[4], f0 = page[5];
    double height = page[6], mb_top = page[7], mb_x0 = page[8], doctop = page[9];
    for (int j = 0; j < n_out; j++) {
        int i = order[j];
        done[j] = 0;
        if (i < 0)
            continue;
        int k = slot[i];
        if (k < 0 || !simple[k])
            continue;
        const float *b = box + 4 * (int64_t)i;
        double left = b[0], right = b[2];
        double adv = (right - left) / scale[k];
        double x = org[2 * (int64_t)i], y = org[2 * (int64_t)i + 1];
        double ex = (x * a0 + y * c0) + e0;
        double ey = (x * b0 + y * d0) + f0;
        double x0 = ex, x1 = ex + la[k] * adv;
        double y0 = ey + ld[k] * lo[k], y1 = ey + ld[k] * hi[k];
        double t;
        if (x1 < x0) {
            t = x0;
            x0 = x1;
            x1 = t;
        }
        if (y1 < y0) {
            t = y0;
            y0 = y1;
            y1 = t;
        }
        double top = (height - y1) + mb_top;
        double bottom = (height - y0) + mb_top;
        double sx0 = x0 + mb_x0, sx1 = x1 + mb_x0;
        x0_out[j] = sx0;
        x1_out[j] = sx1;
        y0_out[j] = y0;
        y1_out[j] = y1;
        top_out[j] = top;
        bottom_out[j] = bottom;
        ex_out[j] = ex;
        ey_out[j] = ey;
        width_out[j] = x1 - x0;
        height_out[j] = y1 - y0;
        doctop_out[j] = doctop + top;
        vmid_out[j] = (top + bottom) / 2;
        hmid_out[j] = (sx0 + sx1) / 2;
        done[j] = 1;
    }
}

/* The characters in the order the page draws them: grouped by the rank of their object
   (`rank[slot[i]]`), text-page order within an object; a rank with `extra[r]` set keeps one
   place (-1 in `order`) for a character Python builds. `out_slot`/`out_code` are each place's
   object and UTF-16 code (pdfium's end-of-line hyphens U+0002 and U+FFFE as "-"); the places of
   characters with a map error go to `cid_at`, their count to `*n_cid`. `start` and `cursor`
   (n_ranks + 1 entries) are scratch. Returns the number of places. */
int zvit_order(int n, const int32_t *slot, const uint16_t *codes, const uint8_t *map_err,
               const int32_t *rank, int n_ranks, const uint8_t *extra, int32_t *start,
               int32_t *cursor, int32_t *order, int32_t *out_slot, uint32_t *out_code,
               int32_t *cid_at, int *n_cid) {
    memset(start, 0, sizeof(int32_t) * ((size_t)n_ranks + 1));
    for (int i = 0; i < n; i++)
        if (slot[i] >= 0)
            start[rank[slot[i]] + 1]++;
    for (int r = 0; r < n_ranks; r++)
        start[r + 1] += start[r] + extra[r];
    for (int r = 0; r < n_ranks; r++) {
        cursor[r] = start[r];
        if (extra[r]) {
            order[cursor[r]] = -1;
            out_slot[cursor[r]] = -1;
            out_code[cursor[r]] = 32;
            cursor[r]++;
        }
    }
    int cids = 0;
    for (int i = 0; i < n; i++) {
        if (slot[i] < 0)
            continue;
        int j = cursor[rank[slot[i]]]++;
        uint32_t code = codes[i];
        order[j] = i;
        out_slot[j] = slot[i];
        if (map_err[i])
            cid_at[cids++] = j;
        else if (code == 2 || code == 0xFFFE)
            code = '-';
        out_code[j] = code;
    }
    *n_cid = cids;
    return start[n_ranks];
}
