/**
 * Netlink attributes: the writer (attribute-writer.ts) and the decoder, readers and AttributeSet
 * (attribute-reader.ts), re-exported so callers import one module.
 */
export { AttributeWriter } from './attribute-writer.js';
export {
  AttributeSet,
  decodeAttributes,
  readBytes,
  readNested,
  readString,
  readU8,
  readU16,
  readU16be,
  readU32,
  readU32be,
  readU64,
  type Attribute,
  type AttributeLike,
} from './attribute-reader.js';
