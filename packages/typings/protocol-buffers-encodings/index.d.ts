// protocol-buffers-encodings: the per-type protobuf field codecs (wire types 0, 1, 2, 5).
declare module 'protocol-buffers-encodings' {
  export interface FieldEncoding<T> {
    /** Protobuf wire type: 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit. */
    readonly type: 0 | 1 | 2 | 5
    encode: {
      (value: T, buffer: Uint8Array, offset?: number): Uint8Array
      bytes: number
    }
    decode: {
      (buffer: Uint8Array, offset?: number): T
      bytes: number
    }
    encodingLength(value: T): number
  }
  export const bytes: FieldEncoding<Uint8Array | string>
  export const string: FieldEncoding<string>
  export const bool: FieldEncoding<boolean>
  export const int32: FieldEncoding<number>
  export const int64: FieldEncoding<number>
  export const sint32: FieldEncoding<number>
  export const sint64: FieldEncoding<number>
  export const uint32: FieldEncoding<number>
  export const uint64: FieldEncoding<number>
  export const varint: FieldEncoding<number>
  export const fixed32: FieldEncoding<number>
  export const sfixed32: FieldEncoding<number>
  export const fixed64: FieldEncoding<Uint8Array>
  export const sfixed64: FieldEncoding<Uint8Array>
  export const double: FieldEncoding<number>
  export const float: FieldEncoding<number>
  /** Skips one field of the given wire type; returns the offset after it. */
  export function skip(type: number, buffer: Uint8Array, offset: number): number
}
