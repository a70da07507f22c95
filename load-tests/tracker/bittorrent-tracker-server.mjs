// bittorrent-tracker's server, WebSocket tracker only, as the benchmark's reference:
// node --expose-gc bittorrent-tracker-server.mjs PORT. SIGUSR2 runs a full collection, so memory is
// read after one, as the JVM's is, and prints what is live after it: "live BYTES", V8's used heap
// plus the memory held outside it (buffers), the counterpart of the JVM's live heap.
import Server from 'bittorrent-tracker/server'

const port = Number(process.argv[2])
const server = new Server({ http: false, udp: false, ws: true, stats: false })
server.on('error', err => { console.error(err.message); process.exit(1) })
server.on('warning', () => {})
server.listen(port, '127.0.0.1', () => console.log(`bittorrent-tracker listening on ${port}`))
process.on('SIGUSR2', () => {
  globalThis.gc?.()
  const { heapUsed, external } = process.memoryUsage()
  console.log(`live ${heapUsed + external}`)
})
