# Shell helpers the bench scripts share; sourced, not run.

# A TCP port free on 127.0.0.1 right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until something listens on 127.0.0.1:$1, while process $2 lives; false if it never does.
wait_for_port() {
  for _ in $(seq 100); do
    kill -0 "$2" 2>/dev/null || return 1
    (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
