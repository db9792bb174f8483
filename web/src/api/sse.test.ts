import { describe, expect, it } from 'vitest'
import { SseParser } from './sse'

describe('SseParser', () => {
  it('parses data lines, named events and comments across chunk boundaries', () => {
    const parser = new SseParser()
    expect(parser.push('data: line 1\n\ndata: li')).toEqual([{ event: 'message', data: 'line 1' }])
    expect(parser.push('ne 2\r\n\r\n: keep-alive\n\n')).toEqual([{ event: 'message', data: 'line 2' }])
    expect(parser.push('data: \n\nevent: end\ndata: {"reason":"container_stopped"}\n\n')).toEqual([
      { event: 'message', data: '' },
      { event: 'end', data: '{"reason":"container_stopped"}' },
    ])
  })
})
