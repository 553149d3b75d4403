// varint: unsigned LEB128 integers as protobuf writes them.
declare module 'varint' {
  interface Encode {
    (num: number, out?: Uint8Array | number[], offset?: number): Uint8Array
    /** Bytes written by the last call. */
    bytes: number
  }
  interface Decode {
    (buf: Uint8Array | number[], offset?: number): number
    /** Bytes read by the last call; undefined after a truncated input. */
    bytes: number | undefined
  }
  export const encode: Encode
  export const decode: Decode
  export function encodingLength(num: number): number
  const varint: { encode: Encode; decode: Decode; encodingLength: (num: number) => number }
  export default varint
}
