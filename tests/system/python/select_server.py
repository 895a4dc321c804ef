import select
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 8888))
server.listen(5)

inputs = [server]
outputs = []
message_queues = {}

while True:
    readable, writable, exceptional = select.select(inputs, outputs, [], 1)
    for s in readable:
        if s is server:
            conn, addr = s.accept()
            print("connected:", addr)
            inputs.append(conn)
            message_queues[conn] = []
            conn.sendall(b"hello")
        else:
            data = s.recv(1024)
            if data:
                message_queues[s].append(data)
                outputs.append(s)
            else:
                print("closed")
                inputs.remove(s)
                del message_queues[s]
    for s in writable:
        msg = message_queues[s].pop()
        s.sendall(msg + b"response")
        outputs.remove(s)
