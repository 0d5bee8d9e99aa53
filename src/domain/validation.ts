import { z } from 'zod';

// Every message zod writes for people is French, including its generic ones (wrong type…).
z.config(z.locales.fr());

export { z };
