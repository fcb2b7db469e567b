import socket

import redis

cache = redis.Redis.from_url("redis://localhost:6379/0")

# A tiny metrics endpoint for the worker.
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("0.0.0.0", 8125))
