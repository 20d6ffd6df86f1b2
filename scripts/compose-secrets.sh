#!/bin/sh
# Makes the secrets docker-compose.yml hands its containers, in .secrets/ (git-ignored), each a
# random value. A file that exists is kept, so running this again changes nothing; delete one to
# make it anew (a store's password only applies to a volume made after it: see README).
set -eu
cd "$(dirname "$0")/.."
dir=.secrets
mkdir -p "$dir"
# Only you may open the folder. The files in it are readable by anyone who can reach them, because
# compose mounts each as it is and the containers read them as their own users (node, redis,
# mongodb), whose ids are not yours.
chmod 700 "$dir"

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
make() {
  [ -s "$dir/$1" ] && return 0
  printf '%s' "$2" >"$dir/$1"
  chmod 644 "$dir/$1"
  echo "made $dir/$1"
}

make redis-password "$(random_hex 32)"
make mongodb-root-password "$(random_hex 32)"
# The replica set's members authenticate to each other with this (one member here; any added
# later must share it).
make mongodb-keyfile "$(head -c 756 /dev/urandom | base64 | tr -d '\n')"
make token-secret "$(random_hex 32)"
make content-token-secret "$(random_hex 32)"
make api-keys "content:content:content-$(random_hex 24),analyst:analyst:analyst-$(random_hex 24)"
# The URLs the services connect with carry the passwords above.
make redis-url "redis://:$(cat "$dir/redis-password")@redis:6379"
make view-store-url "mongodb://marquee:$(cat "$dir/mongodb-root-password")@mongodb:27017/marquee?replicaSet=rs0&authSource=admin"
