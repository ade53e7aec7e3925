/*
 * ChaCha20-Poly1305 (RFC 8439) over runs of equal-sized chunks, in place, with
 * OpenSSL's EVP interface: the OpenSSL that Node itself is built with and
 * exports to addons, so there is no second copy of any cipher.
 *
 * node:crypto on Node 20 allocates a fresh output buffer for every update()
 * and builds a stream object per nonce; for 64 KiB age chunks that overhead
 * costs about a third of the cipher's speed. Here one context is reused for a
 * whole batch and every chunk is transformed where it lies.
 *
 * Nothing in this file implements a primitive; it only calls EVP and checks
 * that every byte it touches lies inside the buffers it was given.
 *
 * Layout shared by both calls: chunk i starts at i * (chunkSize + 16) in
 * `buffer`; every chunk but the last holds chunkSize bytes of plaintext, and
 * each plaintext is followed by the 16 bytes of its tag.
 */
#include <node_api.h>
#include <openssl/evp.h>
#include <stdint.h>

#define TAG 16
#define NONCE 12
#define KEY 32
/* Chunks larger than this would not fit EVP's int lengths comfortably. */
#define MAX_CHUNK (1u << 30)

typedef struct {
  uint8_t *data;
  size_t length;
} bytes_t;

static int get_bytes(napi_env env, napi_value value, bytes_t *out, const char *name) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value arraybuffer;
  size_t offset;
  bool is_typedarray = false;
  if (napi_is_typedarray(env, value, &is_typedarray) != napi_ok || !is_typedarray ||
      napi_get_typedarray_info(env, value, &type, &length, &data, &arraybuffer, &offset) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", name);
    return 0;
  }
  out->data = (uint8_t *)data;
  out->length = length;
  return 1;
}

static int get_length(napi_env env, napi_value value, double max, size_t *out, const char *name) {
  double number;
  if (napi_get_value_double(env, value, &number) != napi_ok || !(number >= 0) || number > max ||
      number != (double)(uint64_t)number) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", name);
    return 0;
  }
  *out = (size_t)number;
  return 1;
}

typedef struct {
  bytes_t key, nonces, buffer;
  size_t chunk, total, count;
} batch_t;

/* Reads (key, nonces, buffer, chunkSize, length) and checks what both calls share. */
static int get_batch(napi_env env, napi_callback_info info, batch_t *batch) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "expected (key, nonces, buffer, chunkSize, length)");
    return 0;
  }
  if (!get_bytes(env, argv[0], &batch->key, "key must be a Uint8Array") ||
      !get_bytes(env, argv[1], &batch->nonces, "nonces must be a Uint8Array") ||
      !get_bytes(env, argv[2], &batch->buffer, "buffer must be a Uint8Array") ||
      !get_length(env, argv[3], MAX_CHUNK, &batch->chunk, "chunkSize out of range") ||
      !get_length(env, argv[4], 9007199254740991.0, &batch->total, "length out of range")) {
    return 0;
  }
  if (batch->key.length != KEY) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "key must be 32 bytes");
    return 0;
  }
  if (batch->chunk == 0) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "chunkSize must be positive");
    return 0;
  }
  if (batch->nonces.length == 0 || batch->nonces.length % NONCE != 0) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "nonces must be a positive multiple of 12 bytes");
    return 0;
  }
  batch->count = batch->nonces.length / NONCE;
  return 1;
}

static napi_value number(napi_env env, size_t value) {
  napi_value result;
  napi_create_double(env, (double)value, &result);
  return result;
}

static napi_value fail(napi_env env, EVP_CIPHER_CTX *ctx, const char *message) {
  if (ctx) EVP_CIPHER_CTX_free(ctx);
  napi_throw_error(env, "ERR_CRYPTO_OPERATION_FAILED", message);
  return NULL;
}

/*
 * sealChunks(key, nonces, buffer, chunkSize, plaintextLength) → sealed length.
 * One nonce per chunk; an empty plaintext is one empty chunk.
 */
static napi_value seal_chunks(napi_env env, napi_callback_info info) {
  batch_t b;
  if (!get_batch(env, info, &b)) return NULL;
  size_t expected = b.total == 0 ? 1 : (b.total + b.chunk - 1) / b.chunk;
  if (b.count != expected) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "one nonce per chunk is required");
    return NULL;
  }
  size_t last = b.total - (b.count - 1) * b.chunk;
  size_t sealed = (b.count - 1) * (b.chunk + TAG) + last + TAG;
  if (sealed > b.buffer.length) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "buffer too small for the sealed chunks");
    return NULL;
  }
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  if (!ctx || EVP_CipherInit_ex(ctx, EVP_chacha20_poly1305(), NULL, NULL, NULL, 1) != 1) {
    return fail(env, ctx, "chacha20-poly1305 is unavailable");
  }
  for (size_t i = 0; i < b.count; i++) {
    uint8_t *chunk = b.buffer.data + i * (b.chunk + TAG);
    int length = (int)(i + 1 == b.count ? last : b.chunk);
    int written = 0, final_written = 0;
    if (EVP_CipherInit_ex(ctx, NULL, NULL, b.key.data, b.nonces.data + i * NONCE, 1) != 1 ||
        (length > 0 && EVP_CipherUpdate(ctx, chunk, &written, chunk, length) != 1) ||
        EVP_CipherFinal_ex(ctx, chunk + written, &final_written) != 1 ||
        written + final_written != length ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TAG, chunk + length) != 1) {
      return fail(env, ctx, "chacha20-poly1305 sealing failed");
    }
  }
  EVP_CIPHER_CTX_free(ctx);
  return number(env, sealed);
}

/*
 * openChunks(key, nonces, buffer, chunkSize, sealedLength) → how many chunks
 * opened, in order, before the first that did not (the count when all did).
 * Opened chunks hold their plaintext where their ciphertext was; the first
 * chunk that fails is left exactly as it was, so it can be tried again.
 */
static napi_value open_chunks(napi_env env, napi_callback_info info) {
  batch_t b;
  if (!get_batch(env, info, &b)) return NULL;
  size_t stride = b.chunk + TAG;
  size_t expected = b.total == 0 ? 0 : (b.total + stride - 1) / stride;
  if (b.count != expected) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "one nonce per chunk is required");
    return NULL;
  }
  size_t last = b.total - (b.count - 1) * stride;
  if (last < TAG) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "the last chunk is shorter than its tag");
    return NULL;
  }
  if (b.total > b.buffer.length) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "buffer shorter than the sealed length");
    return NULL;
  }
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  if (!ctx || EVP_CipherInit_ex(ctx, EVP_chacha20_poly1305(), NULL, NULL, NULL, 0) != 1) {
    return fail(env, ctx, "chacha20-poly1305 is unavailable");
  }
  size_t opened = 0;
  for (; opened < b.count; opened++) {
    uint8_t *chunk = b.buffer.data + opened * stride;
    const uint8_t *nonce = b.nonces.data + opened * NONCE;
    int length = (int)((opened + 1 == b.count ? last : stride) - TAG);
    int written = 0, final_written = 0;
    if (EVP_CipherInit_ex(ctx, NULL, NULL, b.key.data, nonce, 0) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TAG, chunk + length) != 1 ||
        (length > 0 && EVP_CipherUpdate(ctx, chunk, &written, chunk, length) != 1)) {
      return fail(env, ctx, "chacha20-poly1305 opening failed");
    }
    if (EVP_CipherFinal_ex(ctx, chunk + written, &final_written) == 1) continue;
    /*
     * The tag did not verify, but the keystream has already been applied.
     * ChaCha20 is its own inverse, so applying it again under the same key
     * and nonce puts the ciphertext back as it was.
     */
    int restored = 0, restored_final = 0;
    if (EVP_CipherInit_ex(ctx, NULL, NULL, b.key.data, nonce, 1) != 1 ||
        (length > 0 && EVP_CipherUpdate(ctx, chunk, &restored, chunk, length) != 1) ||
        EVP_CipherFinal_ex(ctx, chunk + restored, &restored_final) != 1) {
      return fail(env, ctx, "chacha20-poly1305 could not restore a chunk that failed");
    }
    break;
  }
  EVP_CIPHER_CTX_free(ctx);
  return number(env, opened);
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"sealChunks", NULL, seal_chunks, NULL, NULL, NULL, napi_enumerable, NULL},
      {"openChunks", NULL, open_chunks, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, 2, properties) != napi_ok) return NULL;
  return exports;
}
