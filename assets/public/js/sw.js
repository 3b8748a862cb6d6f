// The offline queue's service worker (filled in by the next commit).
