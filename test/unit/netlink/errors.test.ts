import { describe, expect, it } from 'vitest';
import { LvscareError, isLvscareError } from '../../../src/errors.js';
import {
  NetlinkDecodeError,
  NetlinkError,
  errnoDescription,
  errnoName,
} from '../../../src/netlink/errors.js';

describe('errnoName', () => {
  it.each([
    [1, 'EPERM'],
    [2, 'ENOENT'],
    [-2, 'ENOENT'],
    [3, 'ESRCH'],
    [11, 'EAGAIN'],
    [17, 'EEXIST'],
    [22, 'EINVAL'],
    [95, 'EOPNOTSUPP'],
    [105, 'ENOBUFS'],
    [524, 'ENOTSUPP'],
    [4000, 'ERRNO_4000'],
  ])('names %i %s', (n, name) => {
    expect(errnoName(n)).toBe(name);
  });

  it('describes known errnos like strerror and unknown ones like glibc', () => {
    expect(errnoDescription(2)).toBe('No such file or directory');
    expect(errnoDescription(4000)).toBe('Unknown error 4000');
  });
});

describe('NetlinkError', () => {
  it('carries op, positive errno, its name and the kernel message', () => {
    const err = new NetlinkError({
      op: 'resolve generic netlink family "IPVS"',
      errno: -2,
      seq: 7,
      extAckMessage: 'Unknown family',
      extAckOffset: 20,
    });
    expect(err).toBeInstanceOf(LvscareError);
    expect(isLvscareError(err, 'LVSCARE_ERR_NETLINK')).toBe(true);
    expect(err.name).toBe('NetlinkError');
    expect(err.exitCode).toBe(1);
    expect(err).toMatchObject({ errno: 2, errnoName: 'ENOENT', seq: 7, extAckOffset: 20 });
    expect(err.message).toBe(
      'resolve generic netlink family "IPVS": ENOENT No such file or directory: kernel says: Unknown family',
    );
  });

  it('omits the kernel part without an extended ack, and takes another code and a cause', () => {
    const cause = new Error('recv');
    const err = new NetlinkError({ op: 'dump services', errno: 105, code: 'LVSCARE_ERR_NETLINK_OVERRUN', cause });
    expect(err.message).toBe('dump services: ENOBUFS No buffer space available');
    expect(err.code).toBe('LVSCARE_ERR_NETLINK_OVERRUN');
    expect(err.cause).toBe(cause);
    expect(err.seq).toBeUndefined();
  });

  it('reads "failed" when no errno applies', () => {
    const err = new NetlinkError({ op: 'dump services', errno: 0, code: 'LVSCARE_ERR_NETLINK_TIMEOUT' });
    expect(err.message).toBe('dump services: failed');
    expect(err.errnoName).toBe('');
  });
});

describe('NetlinkDecodeError', () => {
  it('has its own code, the offset, and can be rebased into an enclosing buffer', () => {
    const err = new NetlinkDecodeError('nla_len 2 is shorter than the header', 8);
    expect(isLvscareError(err, 'LVSCARE_ERR_NETLINK_DECODE')).toBe(true);
    expect(err.message).toBe('malformed netlink data at byte 8: nla_len 2 is shorter than the header');
    const moved = err.rebased(20);
    expect(moved).toMatchObject({ offset: 28, reason: err.reason, cause: err });
  });
});
