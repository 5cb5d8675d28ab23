// Voice previews in a browser: the MP3 the server made plays in one hidden
// <audio id="voice-preview"> element, each new preview replacing the last
// (whose object URL is released).

const elementId = 'voice-preview';

/** Plays audio in the page's preview element; resolves once it plays. */
export async function playPreview(audio: Blob, doc: Document = document): Promise<void> {
  let el = doc.getElementById(elementId) as HTMLAudioElement | null;
  if (!el) {
    el = doc.createElement('audio');
    el.id = elementId;
    el.hidden = true;
    doc.body.append(el);
  }
  if (el.src.startsWith('blob:')) URL.revokeObjectURL(el.src);
  el.src = URL.createObjectURL(audio);
  await el.play();
}
