import { placeholder } from './index';

test('smoke', () => expect(placeholder).toBe(1));
