package input

import "strings"

// Event types (Linux include/uapi/linux/input-event-codes.h, "Event
// types"). Only the ones Mimic's devices produce or consume are named.
const (
	EvSyn = 0x00
	EvKey = 0x01
	EvRel = 0x02
	EvAbs = 0x03
	EvMsc = 0x04
	EvSw  = 0x05
	EvLed = 0x11
	EvSnd = 0x12
	EvRep = 0x14
)

// Synchronization codes (type EvSyn).
const (
	SynReport  = 0
	SynConfig  = 1
	SynDropped = 3
)

// Key codes (type EvKey) of a full PC keyboard: the 105 keys of an ISO
// layout, the Japanese and Korean extras, F13..F24 and the common
// system and media keys. The names follow Linux's KEY_* names, camel-cased.
const (
	KeyReserved         = 0
	KeyEsc              = 1
	Key1                = 2
	Key2                = 3
	Key3                = 4
	Key4                = 5
	Key5                = 6
	Key6                = 7
	Key7                = 8
	Key8                = 9
	Key9                = 10
	Key0                = 11
	KeyMinus            = 12
	KeyEqual            = 13
	KeyBackspace        = 14
	KeyTab              = 15
	KeyQ                = 16
	KeyW                = 17
	KeyE                = 18
	KeyR                = 19
	KeyT                = 20
	KeyY                = 21
	KeyU                = 22
	KeyI                = 23
	KeyO                = 24
	KeyP                = 25
	KeyLeftBrace        = 26
	KeyRightBrace       = 27
	KeyEnter            = 28
	KeyLeftCtrl         = 29
	KeyA                = 30
	KeyS                = 31
	KeyD                = 32
	KeyF                = 33
	KeyG                = 34
	KeyH                = 35
	KeyJ                = 36
	KeyK                = 37
	KeyL                = 38
	KeySemicolon        = 39
	KeyApostrophe       = 40
	KeyGrave            = 41
	KeyLeftShift        = 42
	KeyBackslash        = 43
	KeyZ                = 44
	KeyX                = 45
	KeyC                = 46
	KeyV                = 47
	KeyB                = 48
	KeyN                = 49
	KeyM                = 50
	KeyComma            = 51
	KeyDot              = 52
	KeySlash            = 53
	KeyRightShift       = 54
	KeyKPAsterisk       = 55
	KeyLeftAlt          = 56
	KeySpace            = 57
	KeyCapsLock         = 58
	KeyF1               = 59
	KeyF2               = 60
	KeyF3               = 61
	KeyF4               = 62
	KeyF5               = 63
	KeyF6               = 64
	KeyF7               = 65
	KeyF8               = 66
	KeyF9               = 67
	KeyF10              = 68
	KeyNumLock          = 69
	KeyScrollLock       = 70
	KeyKP7              = 71
	KeyKP8              = 72
	KeyKP9              = 73
	KeyKPMinus          = 74
	KeyKP4              = 75
	KeyKP5              = 76
	KeyKP6              = 77
	KeyKPPlus           = 78
	KeyKP1              = 79
	KeyKP2              = 80
	KeyKP3              = 81
	KeyKP0              = 82
	KeyKPDot            = 83
	KeyZenkakuHankaku   = 85
	Key102nd            = 86
	KeyF11              = 87
	KeyF12              = 88
	KeyRO               = 89
	KeyKatakana         = 90
	KeyHiragana         = 91
	KeyHenkan           = 92
	KeyKatakanaHiragana = 93
	KeyMuhenkan         = 94
	KeyKPJPComma        = 95
	KeyKPEnter          = 96
	KeyRightCtrl        = 97
	KeyKPSlash          = 98
	KeySysRq            = 99
	KeyRightAlt         = 100
	KeyLinefeed         = 101
	KeyHome             = 102
	KeyUp               = 103
	KeyPageUp           = 104
	KeyLeft             = 105
	KeyRight            = 106
	KeyEnd              = 107
	KeyDown             = 108
	KeyPageDown         = 109
	KeyInsert           = 110
	KeyDelete           = 111
	KeyMacro            = 112
	KeyMute             = 113
	KeyVolumeDown       = 114
	KeyVolumeUp         = 115
	KeyPower            = 116
	KeyKPEqual          = 117
	KeyKPPlusMinus      = 118
	KeyPause            = 119
	KeyScale            = 120
	KeyKPComma          = 121
	KeyHangeul          = 122
	KeyHanja            = 123
	KeyYen              = 124
	KeyLeftMeta         = 125
	KeyRightMeta        = 126
	KeyCompose          = 127
	KeyStop             = 128
	KeyAgain            = 129
	KeyProps            = 130
	KeyUndo             = 131
	KeyFront            = 132
	KeyCopy             = 133
	KeyOpen             = 134
	KeyPaste            = 135
	KeyFind             = 136
	KeyCut              = 137
	KeyHelp             = 138
	KeyMenu             = 139
	KeyCalc             = 140
	KeySetup            = 141
	KeySleep            = 142
	KeyWakeUp           = 143
	KeyFile             = 144
	KeyWWW              = 150
	KeyCoffee           = 152
	KeyMail             = 155
	KeyBookmarks        = 156
	KeyComputer         = 157
	KeyBack             = 158
	KeyForward          = 159
	KeyEjectCD          = 161
	KeyNextSong         = 163
	KeyPlayPause        = 164
	KeyPreviousSong     = 165
	KeyStopCD           = 166
	KeyRewind           = 168
	KeyHomePage         = 172
	KeyRefresh          = 173
	KeyScrollUp         = 177
	KeyScrollDown       = 178
	KeyKPLeftParen      = 179
	KeyKPRightParen     = 180
	KeyF13              = 183
	KeyF14              = 184
	KeyF15              = 185
	KeyF16              = 186
	KeyF17              = 187
	KeyF18              = 188
	KeyF19              = 189
	KeyF20              = 190
	KeyF21              = 191
	KeyF22              = 192
	KeyF23              = 193
	KeyF24              = 194
	KeyFastForward      = 208
	KeyPrint            = 210
	KeySearch           = 217
	KeyBrightnessDown   = 224
	KeyBrightnessUp     = 225
	KeyMedia            = 226
	KeySwitchVideoMode  = 227
	KeyKbdIllumToggle   = 228
	KeyKbdIllumDown     = 229
	KeyKbdIllumUp       = 230
	KeyUnknown          = 240
	KeyMicMute          = 248

	// KeyMax is the largest key or button code (KEY_MAX).
	KeyMax = 0x2ff
)

// Buttons (type EvKey).
const (
	BtnLeft     = 0x110
	BtnRight    = 0x111
	BtnMiddle   = 0x112
	BtnSide     = 0x113
	BtnExtra    = 0x114
	BtnForward  = 0x115
	BtnBack     = 0x116
	BtnTask     = 0x117
	BtnTouch    = 0x14a
	BtnGearDown = 0x150
	BtnGearUp   = 0x151
)

// Relative axes (type EvRel).
const (
	RelX      = 0x00
	RelY      = 0x01
	RelHWheel = 0x06
	RelWheel  = 0x08

	RelMax = 0x0f
)

// Absolute axes (type EvAbs).
const (
	AbsX = 0x00
	AbsY = 0x01

	AbsMax = 0x3f
)

// Miscellaneous events (type EvMsc).
const MscScan = 0x04

// LEDs (type EvLed).
const (
	LedNumL    = 0x00
	LedCapsL   = 0x01
	LedScrollL = 0x02
	LedCompose = 0x03
	LedKana    = 0x04

	LedMax = 0x0f
)

// name is one named event code.
type name struct {
	s    string
	typ  uint16
	code uint16
}

// names lists every code named above, by its Linux name.
var names = []name{
	{"EV_SYN", 0xffff, EvSyn}, {"EV_KEY", 0xffff, EvKey}, {"EV_REL", 0xffff, EvRel},
	{"EV_ABS", 0xffff, EvAbs}, {"EV_MSC", 0xffff, EvMsc}, {"EV_SW", 0xffff, EvSw},
	{"EV_LED", 0xffff, EvLed}, {"EV_SND", 0xffff, EvSnd}, {"EV_REP", 0xffff, EvRep},

	{"SYN_REPORT", EvSyn, SynReport}, {"SYN_CONFIG", EvSyn, SynConfig}, {"SYN_DROPPED", EvSyn, SynDropped},

	{"KEY_RESERVED", EvKey, KeyReserved}, {"KEY_ESC", EvKey, KeyEsc},
	{"KEY_1", EvKey, Key1}, {"KEY_2", EvKey, Key2}, {"KEY_3", EvKey, Key3}, {"KEY_4", EvKey, Key4},
	{"KEY_5", EvKey, Key5}, {"KEY_6", EvKey, Key6}, {"KEY_7", EvKey, Key7}, {"KEY_8", EvKey, Key8},
	{"KEY_9", EvKey, Key9}, {"KEY_0", EvKey, Key0}, {"KEY_MINUS", EvKey, KeyMinus},
	{"KEY_EQUAL", EvKey, KeyEqual}, {"KEY_BACKSPACE", EvKey, KeyBackspace}, {"KEY_TAB", EvKey, KeyTab},
	{"KEY_Q", EvKey, KeyQ}, {"KEY_W", EvKey, KeyW}, {"KEY_E", EvKey, KeyE}, {"KEY_R", EvKey, KeyR},
	{"KEY_T", EvKey, KeyT}, {"KEY_Y", EvKey, KeyY}, {"KEY_U", EvKey, KeyU}, {"KEY_I", EvKey, KeyI},
	{"KEY_O", EvKey, KeyO}, {"KEY_P", EvKey, KeyP}, {"KEY_LEFTBRACE", EvKey, KeyLeftBrace},
	{"KEY_RIGHTBRACE", EvKey, KeyRightBrace}, {"KEY_ENTER", EvKey, KeyEnter}, {"KEY_LEFTCTRL", EvKey, KeyLeftCtrl},
	{"KEY_A", EvKey, KeyA}, {"KEY_S", EvKey, KeyS}, {"KEY_D", EvKey, KeyD}, {"KEY_F", EvKey, KeyF},
	{"KEY_G", EvKey, KeyG}, {"KEY_H", EvKey, KeyH}, {"KEY_J", EvKey, KeyJ}, {"KEY_K", EvKey, KeyK},
	{"KEY_L", EvKey, KeyL}, {"KEY_SEMICOLON", EvKey, KeySemicolon}, {"KEY_APOSTROPHE", EvKey, KeyApostrophe},
	{"KEY_GRAVE", EvKey, KeyGrave}, {"KEY_LEFTSHIFT", EvKey, KeyLeftShift}, {"KEY_BACKSLASH", EvKey, KeyBackslash},
	{"KEY_Z", EvKey, KeyZ}, {"KEY_X", EvKey, KeyX}, {"KEY_C", EvKey, KeyC}, {"KEY_V", EvKey, KeyV},
	{"KEY_B", EvKey, KeyB}, {"KEY_N", EvKey, KeyN}, {"KEY_M", EvKey, KeyM}, {"KEY_COMMA", EvKey, KeyComma},
	{"KEY_DOT", EvKey, KeyDot}, {"KEY_SLASH", EvKey, KeySlash}, {"KEY_RIGHTSHIFT", EvKey, KeyRightShift},
	{"KEY_KPASTERISK", EvKey, KeyKPAsterisk}, {"KEY_LEFTALT", EvKey, KeyLeftAlt}, {"KEY_SPACE", EvKey, KeySpace},
	{"KEY_CAPSLOCK", EvKey, KeyCapsLock},
	{"KEY_F1", EvKey, KeyF1}, {"KEY_F2", EvKey, KeyF2}, {"KEY_F3", EvKey, KeyF3}, {"KEY_F4", EvKey, KeyF4},
	{"KEY_F5", EvKey, KeyF5}, {"KEY_F6", EvKey, KeyF6}, {"KEY_F7", EvKey, KeyF7}, {"KEY_F8", EvKey, KeyF8},
	{"KEY_F9", EvKey, KeyF9}, {"KEY_F10", EvKey, KeyF10}, {"KEY_NUMLOCK", EvKey, KeyNumLock},
	{"KEY_SCROLLLOCK", EvKey, KeyScrollLock},
	{"KEY_KP7", EvKey, KeyKP7}, {"KEY_KP8", EvKey, KeyKP8}, {"KEY_KP9", EvKey, KeyKP9},
	{"KEY_KPMINUS", EvKey, KeyKPMinus}, {"KEY_KP4", EvKey, KeyKP4}, {"KEY_KP5", EvKey, KeyKP5},
	{"KEY_KP6", EvKey, KeyKP6}, {"KEY_KPPLUS", EvKey, KeyKPPlus}, {"KEY_KP1", EvKey, KeyKP1},
	{"KEY_KP2", EvKey, KeyKP2}, {"KEY_KP3", EvKey, KeyKP3}, {"KEY_KP0", EvKey, KeyKP0},
	{"KEY_KPDOT", EvKey, KeyKPDot}, {"KEY_ZENKAKUHANKAKU", EvKey, KeyZenkakuHankaku},
	{"KEY_102ND", EvKey, Key102nd}, {"KEY_F11", EvKey, KeyF11}, {"KEY_F12", EvKey, KeyF12},
	{"KEY_RO", EvKey, KeyRO}, {"KEY_KATAKANA", EvKey, KeyKatakana}, {"KEY_HIRAGANA", EvKey, KeyHiragana},
	{"KEY_HENKAN", EvKey, KeyHenkan}, {"KEY_KATAKANAHIRAGANA", EvKey, KeyKatakanaHiragana},
	{"KEY_MUHENKAN", EvKey, KeyMuhenkan}, {"KEY_KPJPCOMMA", EvKey, KeyKPJPComma},
	{"KEY_KPENTER", EvKey, KeyKPEnter}, {"KEY_RIGHTCTRL", EvKey, KeyRightCtrl},
	{"KEY_KPSLASH", EvKey, KeyKPSlash}, {"KEY_SYSRQ", EvKey, KeySysRq}, {"KEY_RIGHTALT", EvKey, KeyRightAlt},
	{"KEY_LINEFEED", EvKey, KeyLinefeed}, {"KEY_HOME", EvKey, KeyHome}, {"KEY_UP", EvKey, KeyUp},
	{"KEY_PAGEUP", EvKey, KeyPageUp}, {"KEY_LEFT", EvKey, KeyLeft}, {"KEY_RIGHT", EvKey, KeyRight},
	{"KEY_END", EvKey, KeyEnd}, {"KEY_DOWN", EvKey, KeyDown}, {"KEY_PAGEDOWN", EvKey, KeyPageDown},
	{"KEY_INSERT", EvKey, KeyInsert}, {"KEY_DELETE", EvKey, KeyDelete}, {"KEY_MACRO", EvKey, KeyMacro},
	{"KEY_MUTE", EvKey, KeyMute}, {"KEY_VOLUMEDOWN", EvKey, KeyVolumeDown}, {"KEY_VOLUMEUP", EvKey, KeyVolumeUp},
	{"KEY_POWER", EvKey, KeyPower}, {"KEY_KPEQUAL", EvKey, KeyKPEqual}, {"KEY_KPPLUSMINUS", EvKey, KeyKPPlusMinus},
	{"KEY_PAUSE", EvKey, KeyPause}, {"KEY_SCALE", EvKey, KeyScale}, {"KEY_KPCOMMA", EvKey, KeyKPComma},
	{"KEY_HANGEUL", EvKey, KeyHangeul}, {"KEY_HANJA", EvKey, KeyHanja}, {"KEY_YEN", EvKey, KeyYen},
	{"KEY_LEFTMETA", EvKey, KeyLeftMeta}, {"KEY_RIGHTMETA", EvKey, KeyRightMeta}, {"KEY_COMPOSE", EvKey, KeyCompose},
	{"KEY_STOP", EvKey, KeyStop}, {"KEY_AGAIN", EvKey, KeyAgain}, {"KEY_PROPS", EvKey, KeyProps},
	{"KEY_UNDO", EvKey, KeyUndo}, {"KEY_FRONT", EvKey, KeyFront}, {"KEY_COPY", EvKey, KeyCopy},
	{"KEY_OPEN", EvKey, KeyOpen}, {"KEY_PASTE", EvKey, KeyPaste}, {"KEY_FIND", EvKey, KeyFind},
	{"KEY_CUT", EvKey, KeyCut}, {"KEY_HELP", EvKey, KeyHelp}, {"KEY_MENU", EvKey, KeyMenu},
	{"KEY_CALC", EvKey, KeyCalc}, {"KEY_SETUP", EvKey, KeySetup}, {"KEY_SLEEP", EvKey, KeySleep},
	{"KEY_WAKEUP", EvKey, KeyWakeUp}, {"KEY_FILE", EvKey, KeyFile}, {"KEY_WWW", EvKey, KeyWWW},
	{"KEY_COFFEE", EvKey, KeyCoffee}, {"KEY_MAIL", EvKey, KeyMail}, {"KEY_BOOKMARKS", EvKey, KeyBookmarks},
	{"KEY_COMPUTER", EvKey, KeyComputer}, {"KEY_BACK", EvKey, KeyBack}, {"KEY_FORWARD", EvKey, KeyForward},
	{"KEY_EJECTCD", EvKey, KeyEjectCD}, {"KEY_NEXTSONG", EvKey, KeyNextSong},
	{"KEY_PLAYPAUSE", EvKey, KeyPlayPause}, {"KEY_PREVIOUSSONG", EvKey, KeyPreviousSong},
	{"KEY_STOPCD", EvKey, KeyStopCD}, {"KEY_REWIND", EvKey, KeyRewind}, {"KEY_HOMEPAGE", EvKey, KeyHomePage},
	{"KEY_REFRESH", EvKey, KeyRefresh}, {"KEY_SCROLLUP", EvKey, KeyScrollUp},
	{"KEY_SCROLLDOWN", EvKey, KeyScrollDown}, {"KEY_KPLEFTPAREN", EvKey, KeyKPLeftParen},
	{"KEY_KPRIGHTPAREN", EvKey, KeyKPRightParen},
	{"KEY_F13", EvKey, KeyF13}, {"KEY_F14", EvKey, KeyF14}, {"KEY_F15", EvKey, KeyF15}, {"KEY_F16", EvKey, KeyF16},
	{"KEY_F17", EvKey, KeyF17}, {"KEY_F18", EvKey, KeyF18}, {"KEY_F19", EvKey, KeyF19}, {"KEY_F20", EvKey, KeyF20},
	{"KEY_F21", EvKey, KeyF21}, {"KEY_F22", EvKey, KeyF22}, {"KEY_F23", EvKey, KeyF23}, {"KEY_F24", EvKey, KeyF24},
	{"KEY_FASTFORWARD", EvKey, KeyFastForward}, {"KEY_PRINT", EvKey, KeyPrint}, {"KEY_SEARCH", EvKey, KeySearch},
	{"KEY_BRIGHTNESSDOWN", EvKey, KeyBrightnessDown}, {"KEY_BRIGHTNESSUP", EvKey, KeyBrightnessUp},
	{"KEY_MEDIA", EvKey, KeyMedia}, {"KEY_SWITCHVIDEOMODE", EvKey, KeySwitchVideoMode},
	{"KEY_KBDILLUMTOGGLE", EvKey, KeyKbdIllumToggle}, {"KEY_KBDILLUMDOWN", EvKey, KeyKbdIllumDown},
	{"KEY_KBDILLUMUP", EvKey, KeyKbdIllumUp}, {"KEY_UNKNOWN", EvKey, KeyUnknown}, {"KEY_MICMUTE", EvKey, KeyMicMute},

	{"BTN_LEFT", EvKey, BtnLeft}, {"BTN_RIGHT", EvKey, BtnRight}, {"BTN_MIDDLE", EvKey, BtnMiddle},
	{"BTN_SIDE", EvKey, BtnSide}, {"BTN_EXTRA", EvKey, BtnExtra}, {"BTN_FORWARD", EvKey, BtnForward},
	{"BTN_BACK", EvKey, BtnBack}, {"BTN_TASK", EvKey, BtnTask}, {"BTN_TOUCH", EvKey, BtnTouch},
	{"BTN_GEAR_DOWN", EvKey, BtnGearDown}, {"BTN_GEAR_UP", EvKey, BtnGearUp},

	{"REL_X", EvRel, RelX}, {"REL_Y", EvRel, RelY}, {"REL_HWHEEL", EvRel, RelHWheel}, {"REL_WHEEL", EvRel, RelWheel},
	{"ABS_X", EvAbs, AbsX}, {"ABS_Y", EvAbs, AbsY},
	{"MSC_SCAN", EvMsc, MscScan},
	{"LED_NUML", EvLed, LedNumL}, {"LED_CAPSL", EvLed, LedCapsL}, {"LED_SCROLLL", EvLed, LedScrollL},
	{"LED_COMPOSE", EvLed, LedCompose}, {"LED_KANA", EvLed, LedKana},
}

type typeCode struct{ typ, code uint16 }

var (
	byName = map[string]typeCode{}
	byCode = map[typeCode]string{}
)

// keyAliases are the friendly key names a script may use besides the
// lower-case Linux names ("a", "enter", "leftctrl", "f1", "kp0").
var keyAliases = map[string]uint16{
	"ctrl": KeyLeftCtrl, "shift": KeyLeftShift, "alt": KeyLeftAlt, "altgr": KeyRightAlt,
	"meta": KeyLeftMeta, "super": KeyLeftMeta, "win": KeyLeftMeta, "cmd": KeyLeftMeta,
	"return": KeyEnter, "escape": KeyEsc, "del": KeyDelete, "ins": KeyInsert,
	"pgup": KeyPageUp, "pgdn": KeyPageDown, "caps": KeyCapsLock, "bksp": KeyBackspace,
	"printscreen": KeySysRq, "prtsc": KeySysRq, "period": KeyDot,
	"-": KeyMinus, "=": KeyEqual, "[": KeyLeftBrace, "]": KeyRightBrace, ";": KeySemicolon,
	"'": KeyApostrophe, "`": KeyGrave, "\\": KeyBackslash, ",": KeyComma, ".": KeyDot, "/": KeySlash,
}

// buttonAliases are the short button names ("left" is a button here; as
// a key it is the cursor key).
var buttonAliases = map[string]uint16{
	"left": BtnLeft, "right": BtnRight, "middle": BtnMiddle, "side": BtnSide, "extra": BtnExtra,
	"forward": BtnForward, "back": BtnBack,
}

func init() {
	for _, n := range names {
		tc := typeCode{n.typ, n.code}
		if _, dup := byName[n.s]; dup {
			panic("BUG: input: duplicate name " + n.s)
		}
		if _, dup := byCode[tc]; dup {
			panic("BUG: input: duplicate code for " + n.s)
		}
		byName[n.s] = tc
		byCode[tc] = n.s
	}
}

// Name returns the Linux name of code of event type typ ("KEY_A",
// "BTN_LEFT", "REL_WHEEL"), or "" when it has none here.
func Name(typ, code uint16) string { return byCode[typeCode{typ, code}] }

// TypeName returns the name of event type typ ("EV_KEY"), or "".
func TypeName(typ uint16) string { return byCode[typeCode{0xffff, typ}] }

// Lookup returns the type and code of a Linux name ("KEY_A", "BTN_LEFT",
// "REL_X", "ABS_Y", "LED_CAPSL", "SYN_REPORT"), ignoring case.
func Lookup(s string) (typ, code uint16, ok bool) {
	tc, ok := byName[strings.ToUpper(s)]
	if !ok || tc.typ == 0xffff {
		return 0, 0, false
	}
	return tc.typ, tc.code, true
}

// KeyByName returns the key code a script names: a Linux KEY_* or BTN_*
// name, its suffix in any case ("a", "Enter", "leftctrl", "f1", "kp0",
// "1"), or a friendly alias ("ctrl", "shift", "esc", "del", "pgup", "-",
// "/").
func KeyByName(s string) (uint16, bool) {
	if c, ok := keyAliases[strings.ToLower(s)]; ok {
		return c, true
	}
	u := strings.ToUpper(s)
	for _, full := range []string{u, "KEY_" + u} {
		if tc, ok := byName[full]; ok && tc.typ == EvKey {
			return tc.code, true
		}
	}
	return 0, false
}

// ButtonByName returns the button code a script names: "left", "right",
// "middle", "side", "extra", "forward", "back", or a BTN_* name.
func ButtonByName(s string) (uint16, bool) {
	if c, ok := buttonAliases[strings.ToLower(s)]; ok {
		return c, true
	}
	u := strings.ToUpper(s)
	for _, full := range []string{u, "BTN_" + u} {
		if tc, ok := byName[full]; ok && tc.typ == EvKey && IsButton(tc.code) {
			return tc.code, true
		}
	}
	return 0, false
}

// IsButton reports whether key code c is a pointer button (BTN_MOUSE
// .. BTN_TASK, or BTN_TOUCH and the gear buttons).
func IsButton(c uint16) bool {
	return c >= BtnLeft && c <= BtnTask || c == BtnTouch || c == BtnGearDown || c == BtnGearUp
}

// usShifted maps the shifted characters of a US layout to their key.
var usShifted = map[rune]uint16{
	'!': Key1, '@': Key2, '#': Key3, '$': Key4, '%': Key5, '^': Key6, '&': Key7, '*': Key8,
	'(': Key9, ')': Key0, '_': KeyMinus, '+': KeyEqual, '{': KeyLeftBrace, '}': KeyRightBrace,
	':': KeySemicolon, '"': KeyApostrophe, '~': KeyGrave, '|': KeyBackslash, '<': KeyComma,
	'>': KeyDot, '?': KeySlash,
}

var usPlain = map[rune]uint16{
	'-': KeyMinus, '=': KeyEqual, '[': KeyLeftBrace, ']': KeyRightBrace, ';': KeySemicolon,
	'\'': KeyApostrophe, '`': KeyGrave, '\\': KeyBackslash, ',': KeyComma, '.': KeyDot,
	'/': KeySlash, ' ': KeySpace, '\n': KeyEnter, '\t': KeyTab, '\b': KeyBackspace, 0x1b: KeyEsc,
}

var letterKeys = [26]uint16{
	KeyA, KeyB, KeyC, KeyD, KeyE, KeyF, KeyG, KeyH, KeyI, KeyJ, KeyK, KeyL, KeyM,
	KeyN, KeyO, KeyP, KeyQ, KeyR, KeyS, KeyT, KeyU, KeyV, KeyW, KeyX, KeyY, KeyZ,
}

// USKey returns the key that types r on a US keyboard layout and whether
// shift must be held: what a script's `type "..."` presses, since the
// guest's default keymap is US.
func USKey(r rune) (code uint16, shift, ok bool) {
	switch {
	case r >= 'a' && r <= 'z':
		return letterKeys[r-'a'], false, true
	case r >= 'A' && r <= 'Z':
		return letterKeys[r-'A'], true, true
	case r == '0':
		return Key0, false, true
	case r >= '1' && r <= '9':
		return Key1 + uint16(r-'1'), false, true
	}
	if c, ok := usPlain[r]; ok {
		return c, false, true
	}
	if c, ok := usShifted[r]; ok {
		return c, true, true
	}
	return 0, false, false
}

// KeyboardKeys returns every key code named here that a keyboard may
// send (all KEY_* codes but KEY_RESERVED and KEY_UNKNOWN), in ascending
// order: the EV_KEY bits a virtual keyboard advertises.
func KeyboardKeys() []uint16 {
	var out []uint16
	for c := uint16(1); c <= KeyMax; c++ {
		if IsButton(c) || c == KeyUnknown {
			continue
		}
		if n := Name(EvKey, c); strings.HasPrefix(n, "KEY_") {
			out = append(out, c)
		}
	}
	return out
}
