import { describe, expect, it } from 'vitest';
import { BackendError, errorMessage, fieldProblems } from './errors';

describe('errorMessage', () => {
  it.each([
    { name: 'an Error', err: new Error('wrong username or password'), want: 'Wrong username or password' },
    { name: 'a string', err: 'no such job', want: 'No such job' },
    {
      name: 'drops Go stack lines',
      err: new Error('panic: boom\ngoroutine 7 [running]:\nmain.go:12\nthe job failed'),
      want: 'The job failed',
    },
    { name: 'drops JS stack lines', err: new Error('failed\n    at foo (x.js:1:2)'), want: 'Failed' },
    { name: 'an empty message', err: new Error(''), want: 'Something went wrong and the backend gave no reason. Try again.' },
    { name: 'not an error at all', err: 42, want: 'Something went wrong and the backend gave no reason. Try again.' },
    {
      name: 'the desktop ValidationError JSON',
      err: new Error('{"problems":[{"field":"name","message":"must not be empty"}]}'),
      want: 'name: must not be empty',
    },
  ])('$name', ({ err, want }) => {
    expect(errorMessage(err)).toBe(want);
  });
});

describe('fieldProblems', () => {
  it.each([
    {
      name: 'ValidationError JSON after a prefix',
      err: new Error('saving: {"problems":[{"field":"speakers[1].name","message":"is used by another speaker"}]}'),
      want: [{ field: 'speakers[1].name', message: 'is used by another speaker' }],
    },
    {
      name: 'the HTTP API key lines',
      err: new Error('the template is not valid: key "id": invalid template id\nkey "minutes": 0 is out of range'),
      want: [
        { field: 'id', message: 'invalid template id' },
        { field: 'minutes', message: '0 is out of range' },
      ],
    },
    {
      name: "a BackendError's own",
      err: new BackendError('x', { problems: [{ field: 'language', message: 'bad' }] }),
      want: [{ field: 'language', message: 'bad' }],
    },
    { name: 'none in a plain message', err: new Error('disk full {oops'), want: [] },
    { name: 'skips malformed problems', err: new Error('{"problems":[1,{"message":"m"}]}'), want: [{ field: '', message: 'm' }] },
  ])('$name', ({ err, want }) => {
    expect(fieldProblems(err)).toEqual(want);
  });
});
