import { merkleBadInput } from './errors.js';
import { EMPTY_ROOT_HASH, MERKLE_HASH_SIZE, leafHash as hashLeaf, nodeHash } from './hash.js';
import { checkCount, checkHash, splitPoint } from './validate.js';

/**
 * Hashes of one level of the tree, packed into one growable buffer: a million
 * leaves as a million small arrays would cost several times their 32 bytes each.
 */
class HashLevel {
  private buf = new Uint8Array(256 * MERKLE_HASH_SIZE);
  count = 0;

  push(hash: Uint8Array): void {
    const offset = this.count * MERKLE_HASH_SIZE;
    if (offset + MERKLE_HASH_SIZE > this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf.set(hash, offset);
    this.count++;
  }

  /** A view, valid until the next push; callers outside this file get copies. */
  at(index: number): Uint8Array {
    const offset = index * MERKLE_HASH_SIZE;
    return this.buf.subarray(offset, offset + MERKLE_HASH_SIZE);
  }
}

/** log2(n) when n is a power of two; plain arithmetic because bitwise operators stop at 2^31. */
function exactLog2(n: number): number | undefined {
  let height = 0;
  while (n > 1) {
    if (n % 2 !== 0) return undefined;
    n /= 2;
    height++;
  }
  return height;
}

/**
 * An append-only Merkle tree in the shape of RFC 9162 §2.1. It keeps every leaf
 * hash and the hash of every complete, aligned subtree (levels[h][i] covers
 * leaves i·2^h … (i+1)·2^h − 1), so an append hashes one node on average and
 * the root of any past size, and any proof, needs O(log n) stored hashes plus
 * O(log n) hashing for the one incomplete subtree on the right edge.
 */
export class MerkleTree {
  private readonly levels: HashLevel[] = [new HashLevel()];
  /*
   * Incomplete subtrees all end at the tree's right edge; at the current size
   * every proof needs the same few, so they are kept until the next append.
   */
  private readonly edge = new Map<number, Uint8Array>();
  private edgeSize = 0;

  /** Rebuilds the tree from leaf hashes as stored (e.g. loaded from the database), in log order. */
  static fromLeafHashes(hashes: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const hash of hashes) tree.append(hash);
    return tree;
  }

  get size(): number {
    return this.levels[0]!.count;
  }

  /** Appends a leaf hash (see `leafHash`) and returns its index. */
  append(leafHash: Uint8Array): number {
    checkHash(leafHash, 'leaf hash');
    const index = this.size;
    this.levels[0]!.push(leafHash);
    // Each odd position closes a pair, whose parent may in turn close a pair one level up.
    let position = index;
    let height = 0;
    while (position % 2 === 1) {
      const level = this.levels[height]!;
      const parent = nodeHash(level.at(position - 1), level.at(position));
      height++;
      if (this.levels.length === height) this.levels.push(new HashLevel());
      this.levels[height]!.push(parent);
      position = (position - 1) / 2;
    }
    return index;
  }

  /** Appends an entry's bytes, hashing them as a leaf; returns the index. */
  appendData(data: Uint8Array): number {
    return this.append(hashLeaf(data));
  }

  leafHash(index: number): Uint8Array {
    checkCount(index, 'index');
    if (index >= this.size) throw merkleBadInput(`leaf ${index} does not exist in a tree of ${this.size}`);
    return this.levels[0]!.at(index).slice();
  }

  /** MTH(D[0:size]) for the current or any earlier size. */
  root(size: number = this.size): Uint8Array {
    this.checkSize(size, 'size');
    if (size === 0) return EMPTY_ROOT_HASH.slice();
    return this.subtreeHash(0, size).slice();
  }

  /** PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, ordered from the leaf upwards. */
  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    this.checkSize(size, 'size');
    checkCount(index, 'index');
    if (index >= size) throw merkleBadInput(`leaf ${index} is not in a tree of ${size}`);
    const topDown: Uint8Array[] = [];
    let start = 0;
    let n = size;
    let m = index;
    while (n > 1) {
      const k = splitPoint(n);
      if (m < k) {
        topDown.push(this.subtreeHash(start + k, n - k));
        n = k;
      } else {
        topDown.push(this.subtreeHash(start, k));
        start += k;
        m -= k;
        n -= k;
      }
    }
    return topDown.reverse().map((h) => h.slice());
  }

  /**
   * PROOF(oldSize, D[0:newSize]) of RFC 9162 §2.1.4.1. The RFC defines it for
   * 0 < oldSize < newSize; for oldSize 0 or oldSize = newSize the proof is empty.
   */
  consistencyProof(oldSize: number, newSize: number = this.size): Uint8Array[] {
    this.checkSize(newSize, 'newSize');
    checkCount(oldSize, 'oldSize');
    if (oldSize > newSize) throw merkleBadInput(`oldSize ${oldSize} is larger than newSize ${newSize}`);
    if (oldSize === 0 || oldSize === newSize) return [];
    const topDown: Uint8Array[] = [];
    let start = 0;
    let n = newSize;
    let m = oldSize;
    let wholeOldTree = true;
    while (m !== n) {
      const k = splitPoint(n);
      if (m <= k) {
        topDown.push(this.subtreeHash(start + k, n - k));
        n = k;
      } else {
        topDown.push(this.subtreeHash(start, k));
        start += k;
        m -= k;
        n -= k;
        wholeOldTree = false;
      }
    }
    // SUBPROOF(m, D[m], false) = {MTH(D[m])}: the verifier cannot know this subtree unless it is the whole old tree.
    if (!wholeOldTree) topDown.push(this.subtreeHash(start, n));
    return topDown.reverse().map((h) => h.slice());
  }

  private checkSize(size: number, name: string): void {
    checkCount(size, name);
    if (size > this.size) throw merkleBadInput(`${name} ${size} is beyond the tree's ${this.size} leaves`);
  }

  /** MTH(D[start:start+n]), n ≥ 1, following the RFC's split so every left part is a stored complete subtree. */
  private subtreeHash(start: number, n: number): Uint8Array {
    if (start % n === 0) {
      const height = exactLog2(n);
      if (height !== undefined) return this.levels[height]!.at(start / n);
    }
    const atEdge = start + n === this.size;
    if (atEdge) {
      if (this.edgeSize !== this.size) {
        this.edge.clear();
        this.edgeSize = this.size;
      }
      const cached = this.edge.get(start);
      if (cached !== undefined) return cached;
    }
    const k = splitPoint(n);
    const left = this.subtreeHash(start, k);
    const right = this.subtreeHash(start + k, n - k);
    const hash = nodeHash(left, right);
    if (atEdge) this.edge.set(start, hash);
    return hash;
  }
}
