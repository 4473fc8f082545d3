// Typed arrays that grow as rows stream in (doubling), viewed without copying at the end.

class Growing<T extends Float64Array | Uint32Array> {
  length = 0;
  constructor(public data: T, private readonly make: (size: number) => T) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export class GrowingF64 extends Growing<Float64Array> {
  constructor() {
    super(new Float64Array(1024), (size) => new Float64Array(size));
  }
}

export class GrowingU32 extends Growing<Uint32Array> {
  constructor() {
    super(new Uint32Array(1024), (size) => new Uint32Array(size));
  }
}
