import { placeholder } from '@ramp/api';

test('cross-package', () => expect(placeholder).toBe(1));
