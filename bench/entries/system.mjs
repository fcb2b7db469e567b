// The socket reader and the worker-backed service, exactly as the extension and CLI use them.
export { SocketReader, createSocketService } from '../../src/system/index';
