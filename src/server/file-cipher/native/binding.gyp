{
  "targets": [
    {
      "target_name": "chunk_cipher",
      "sources": ["chunk_cipher.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Werror"]
    }
  ]
}
