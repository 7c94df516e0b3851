import { describe, expect, it } from 'vitest';
import { pgErrorCode } from './pg-error';

describe('pgErrorCode', () => {
  it('finds the SQLSTATE and constraint through the wrapping errors, as either driver names them', () => {
    const postgresJs = Object.assign(new Error('duplicate key'), { code: '23505', constraint_name: 'a_key' });
    const pglite = Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'b_key' });
    expect(pgErrorCode(new Error('Failed query', { cause: postgresJs }))).toEqual({
      code: '23505',
      constraint: 'a_key',
    });
    expect(pgErrorCode(pglite)).toEqual({ code: '23505', constraint: 'b_key' });
  });

  it('names nothing for an error that is not the database answering', () => {
    const system = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    expect(pgErrorCode(new Error('Failed query', { cause: system }))).toEqual({});
    expect(pgErrorCode('text')).toEqual({});
  });
});
