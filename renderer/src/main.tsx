import '../zod-csp'; // first: before any zod schema exists
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './App';
import { registerFonts } from './fonts';
import { i18n } from './i18n';
import './styles.css';
import './bench-hooks';

registerFonts();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
