package input

// hidKeyboard maps USB HID Keyboard/Keypad page (0x07) usage IDs (HID
// Usage Tables 1.4, §10) to key codes, as Linux's HID layer maps them
// (drivers/hid/hid-input.c). SDL2's SDL_Scancode values 4..231 are these
// usage IDs, so the SDL frontend uses this table for its key events.
// Usages without a key read 0.
var hidKeyboard = [...]uint16{
	0x04: KeyA, 0x05: KeyB, 0x06: KeyC, 0x07: KeyD, 0x08: KeyE, 0x09: KeyF,
	0x0a: KeyG, 0x0b: KeyH, 0x0c: KeyI, 0x0d: KeyJ, 0x0e: KeyK, 0x0f: KeyL,
	0x10: KeyM, 0x11: KeyN, 0x12: KeyO, 0x13: KeyP, 0x14: KeyQ, 0x15: KeyR,
	0x16: KeyS, 0x17: KeyT, 0x18: KeyU, 0x19: KeyV, 0x1a: KeyW, 0x1b: KeyX,
	0x1c: KeyY, 0x1d: KeyZ,
	0x1e: Key1, 0x1f: Key2, 0x20: Key3, 0x21: Key4, 0x22: Key5,
	0x23: Key6, 0x24: Key7, 0x25: Key8, 0x26: Key9, 0x27: Key0,
	0x28: KeyEnter,     // Keyboard Return (ENTER)
	0x29: KeyEsc,       // Keyboard ESCAPE
	0x2a: KeyBackspace, // Keyboard DELETE (Backspace)
	0x2b: KeyTab,
	0x2c: KeySpace,
	0x2d: KeyMinus,
	0x2e: KeyEqual,
	0x2f: KeyLeftBrace,
	0x30: KeyRightBrace,
	0x31: KeyBackslash,
	0x32: KeyBackslash, // Keyboard Non-US # and ~: the ISO key left of Enter
	0x33: KeySemicolon,
	0x34: KeyApostrophe,
	0x35: KeyGrave,
	0x36: KeyComma,
	0x37: KeyDot,
	0x38: KeySlash,
	0x39: KeyCapsLock,
	0x3a: KeyF1, 0x3b: KeyF2, 0x3c: KeyF3, 0x3d: KeyF4, 0x3e: KeyF5, 0x3f: KeyF6,
	0x40: KeyF7, 0x41: KeyF8, 0x42: KeyF9, 0x43: KeyF10, 0x44: KeyF11, 0x45: KeyF12,
	0x46: KeySysRq, // Keyboard PrintScreen
	0x47: KeyScrollLock,
	0x48: KeyPause,
	0x49: KeyInsert,
	0x4a: KeyHome,
	0x4b: KeyPageUp,
	0x4c: KeyDelete, // Keyboard Delete Forward
	0x4d: KeyEnd,
	0x4e: KeyPageDown,
	0x4f: KeyRight,
	0x50: KeyLeft,
	0x51: KeyDown,
	0x52: KeyUp,
	0x53: KeyNumLock, // Keypad Num Lock and Clear
	0x54: KeyKPSlash,
	0x55: KeyKPAsterisk,
	0x56: KeyKPMinus,
	0x57: KeyKPPlus,
	0x58: KeyKPEnter,
	0x59: KeyKP1, 0x5a: KeyKP2, 0x5b: KeyKP3, 0x5c: KeyKP4, 0x5d: KeyKP5,
	0x5e: KeyKP6, 0x5f: KeyKP7, 0x60: KeyKP8, 0x61: KeyKP9, 0x62: KeyKP0,
	0x63: KeyKPDot,
	0x64: Key102nd,   // Keyboard Non-US \ and |: the ISO key right of left Shift
	0x65: KeyCompose, // Keyboard Application (the context-menu key)
	0x66: KeyPower,
	0x67: KeyKPEqual,
	0x68: KeyF13, 0x69: KeyF14, 0x6a: KeyF15, 0x6b: KeyF16, 0x6c: KeyF17, 0x6d: KeyF18,
	0x6e: KeyF19, 0x6f: KeyF20, 0x70: KeyF21, 0x71: KeyF22, 0x72: KeyF23, 0x73: KeyF24,
	0x74: KeyOpen,  // Keyboard Execute
	0x75: KeyHelp,  // Keyboard Help
	0x76: KeyProps, // Keyboard Menu
	0x77: KeyFront, // Keyboard Select
	0x78: KeyStop,
	0x79: KeyAgain,
	0x7a: KeyUndo,
	0x7b: KeyCut,
	0x7c: KeyCopy,
	0x7d: KeyPaste,
	0x7e: KeyFind,
	0x7f: KeyMute,
	0x80: KeyVolumeUp,
	0x81: KeyVolumeDown,
	0x85: KeyKPComma,
	0x87: KeyRO,               // Keyboard International1 (Ro)
	0x88: KeyKatakanaHiragana, // International2
	0x89: KeyYen,              // International3
	0x8a: KeyHenkan,           // International4
	0x8b: KeyMuhenkan,         // International5
	0x8c: KeyKPJPComma,        // International6
	0x90: KeyHangeul,          // Keyboard LANG1
	0x91: KeyHanja,            // LANG2
	0x92: KeyKatakana,         // LANG3
	0x93: KeyHiragana,         // LANG4
	0x94: KeyZenkakuHankaku,   // LANG5
	0x9c: KeyDelete,           // Keyboard Clear
	0xb6: KeyKPLeftParen,      // Keypad (
	0xb7: KeyKPRightParen,     // Keypad )
	0xd8: KeyDelete,           // Keypad Clear
	0xe0: KeyLeftCtrl,
	0xe1: KeyLeftShift,
	0xe2: KeyLeftAlt,
	0xe3: KeyLeftMeta, // Keyboard Left GUI
	0xe4: KeyRightCtrl,
	0xe5: KeyRightShift,
	0xe6: KeyRightAlt,
	0xe7: KeyRightMeta,
}

// FromHID returns the key code of a HID Keyboard/Keypad page usage ID (an
// SDL2 scancode below 256), and false when the usage has no key.
func FromHID(usage uint16) (uint16, bool) {
	if int(usage) >= len(hidKeyboard) || hidKeyboard[usage] == 0 {
		return 0, false
	}
	return hidKeyboard[usage], true
}

// sdlExtra maps SDL2's scancodes above the HID keyboard page (SDL_scancode.h:
// SDL_SCANCODE_AUDIONEXT = 258 .. SDL_SCANCODE_AUDIOFASTFORWARD = 286,
// which SDL takes from the HID Consumer page) to key codes.
var sdlExtra = map[uint16]uint16{
	258: KeyNextSong, 259: KeyPreviousSong, 260: KeyStopCD, 261: KeyPlayPause,
	262: KeyMute, 263: KeyMedia, 264: KeyWWW, 265: KeyMail, 266: KeyCalc,
	267: KeyComputer, 268: KeySearch, 269: KeyHomePage, 270: KeyBack,
	271: KeyForward, 272: KeyStop, 273: KeyRefresh, 274: KeyBookmarks,
	275: KeyBrightnessDown, 276: KeyBrightnessUp, 277: KeySwitchVideoMode,
	278: KeyKbdIllumToggle, 279: KeyKbdIllumDown, 280: KeyKbdIllumUp,
	281: KeyEjectCD, 282: KeySleep, 285: KeyRewind, 286: KeyFastForward,
}

// FromSDLScancode returns the key code of an SDL2 scancode: the HID usage
// table below 256, SDL's media keys above.
func FromSDLScancode(sc uint16) (uint16, bool) {
	if sc < 256 {
		return FromHID(sc)
	}
	c, ok := sdlExtra[sc]
	return c, ok
}
