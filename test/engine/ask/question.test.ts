import { describe, expect, it } from 'vitest';
import { questionNames, readQuestion } from '../../../src/engine/ask/question.js';

describe('reading a question', () => {
  it('tells the kind of answer asked for', () => {
    expect(readQuestion('What does TAPE stand for?')).toMatchObject({ type: 'acronym', acronym: 'TAPE' });
    expect(readQuestion('What is RSQ short for?')).toMatchObject({ type: 'acronym', acronym: 'RSQ' });
    expect(readQuestion('What compression ratio does Finch reach?').type).toBe('quantity');
    expect(readQuestion('Which bits contribute most to accuracy?').type).toBe('name');
    expect(readQuestion('Why does beam search return near-identical lists?').type).toBe('cause');
    expect(readQuestion('According to the paper, what makes data high quality?').type).toBe('cause');
    expect(readQuestion('How does BLT decide where patches end?').type).toBe('method');
    expect(readQuestion('When does a patch exit early?').type).toBe('condition');
  });

  it('finds the names a question gives, with versions', () => {
    expect(questionNames('How does BLT beat GPT-4 on H100s in Whisper tests?').map((n) => n.word)).toEqual([
      'BLT', 'GPT-4', 'H100', 'Whisper',
    ]);
    expect(questionNames('Does Llama 3 support long context?')).toEqual([{ word: 'Llama', version: '3', distinctive: true }]);
    expect(questionNames('What FID does it reach on 256x256 images?')).toEqual([{ word: 'FID', distinctive: true }]);
  });
});
