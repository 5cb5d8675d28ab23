import { describe, expect, it } from 'vitest';
import { AppError, errorMessage, fieldProblem, toAppError } from './errors';

describe('toAppError', () => {
  const minutes = { code: 'invalid_request', field: 'minutes', message: 'the length must be from 0.5 to 120 minutes' };
  it.each([
    { name: 'the three values as an object (a Wails rejection)', reason: minutes, want: minutes },
    { name: 'the three values as JSON text (a Wails rejection)', reason: JSON.stringify(minutes), want: minutes },
    { name: 'JSON text in an Error', reason: new Error(JSON.stringify(minutes)), want: minutes },
    {
      name: 'no field when no single input is at fault',
      reason: '{"code":"not_found","message":"no such podcast"}',
      want: { code: 'not_found', message: 'no such podcast' },
    },
    { name: 'an empty field is no field', reason: { code: 'c', field: '', message: 'm' }, want: { code: 'c', message: 'm' } },
    { name: 'plain text', reason: 'espeak-ng is not installed', want: { code: 'unknown', message: 'espeak-ng is not installed' } },
    { name: 'a JavaScript Error', reason: new TypeError('x is undefined'), want: { code: 'unknown', message: 'x is undefined' } },
    { name: 'JSON that is not an error', reason: '{"problems":[]}', want: { code: 'unknown', message: '{"problems":[]}' } },
    { name: 'broken JSON', reason: '{"code":', want: { code: 'unknown', message: '{"code":' } },
    { name: 'a code that is not text', reason: { code: 7, message: 'm' }, want: { code: 'unknown', message: '' } },
    { name: 'nothing at all', reason: undefined, want: { code: 'unknown', message: '' } },
  ])('$name', ({ reason, want }) => {
    const e = toAppError(reason);
    expect(e).toBeInstanceOf(AppError);
    expect({ code: e.code, field: e.field, message: e.message }).toEqual({ field: undefined, ...want });
  });

  it('keeps an AppError and its HTTP status', () => {
    const e = new AppError({ code: 'throttled', message: 'wait' }, 429);
    expect(toAppError(e)).toBe(e);
    expect(toAppError({ code: 'x', message: 'y' }, 404).status).toBe(404);
  });
});

describe('errorMessage', () => {
  it.each([
    { name: 'an AppError', err: new AppError({ code: 'invalid_credentials', message: 'wrong username or password' }), want: 'Wrong username or password' },
    { name: 'a Wails rejection', err: '{"code":"not_found","message":"no such job"}', want: 'No such job' },
    { name: 'a string', err: 'no such job', want: 'No such job' },
    { name: 'an empty message', err: new Error(''), want: 'Something went wrong and the backend gave no reason. Try again.' },
    { name: 'not an error at all', err: 42, want: 'Something went wrong and the backend gave no reason. Try again.' },
  ])('$name', ({ err, want }) => {
    expect(errorMessage(err)).toBe(want);
  });
});

describe('fieldProblem', () => {
  it('is the field and message when one input is at fault', () => {
    expect(fieldProblem({ code: 'invalid_request', field: 'speakers[1].name', message: 'is used by another speaker' })).toEqual({
      field: 'speakers[1].name',
      message: 'is used by another speaker',
    });
  });

  it('is null otherwise, whatever the message says', () => {
    expect(fieldProblem({ code: 'invalid_request', message: 'key "minutes": out of range' })).toBeNull();
    expect(fieldProblem(new Error('{"problems":[{"field":"name","message":"empty"}]}'))).toBeNull();
  });
});
